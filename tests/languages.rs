//! The boilerplate rules in the main European languages besides English:
//! German, French, Spanish, Italian, Portuguese, Dutch and Polish. For each
//! language, page furniture every rule family must recognise, and article
//! prose about the same subjects (cookies, comments, newsletters, sharing,
//! copyright) that must survive.

use dedupe::strip::Stripper;

/// (language, rule, line) that must be removed by that rule.
const POSITIVES: &[(&str, &str, &str)] = &[
    // German
    ("de", "share-buttons", "Teilen"),
    ("de", "share-buttons", "Artikel teilen"),
    ("de", "share-buttons", "Auf Facebook teilen"),
    (
        "de",
        "cookie-banner",
        "Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten.",
    ),
    ("de", "cookie-banner", "Alle Cookies akzeptieren"),
    ("de", "cookie-banner", "Cookie-Einstellungen"),
    ("de", "subscribe-prompt", "Newsletter abonnieren"),
    ("de", "subscribe-prompt", "Jetzt abonnieren!"),
    ("de", "related-posts", "Das könnte Sie auch interessieren"),
    ("de", "related-posts", "Ähnliche Artikel"),
    ("de", "related-posts", "Meistgelesen"),
    ("de", "comment-form", "Kommentare (12)"),
    ("de", "comment-form", "Schreibe einen Kommentar"),
    (
        "de",
        "comment-form",
        "Ihre E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert.",
    ),
    ("de", "tags", "Schlagwörter: Berlin, Verkehr, Bahn"),
    (
        "de",
        "see-also",
        "Lesen Sie auch: Bahn streicht Verbindungen nach Polen",
    ),
    (
        "de",
        "follow-prompt",
        "Folgen Sie uns auf Facebook und Instagram",
    ),
    (
        "de",
        "copyright",
        "© 2024 Süddeutsche Zeitung GmbH. Alle Rechte vorbehalten.",
    ),
    ("de", "credit-line", "Foto: dpa"),
    // French
    ("fr", "share-buttons", "Partager"),
    ("fr", "share-buttons", "Partager sur Facebook"),
    ("fr", "share-buttons", "Partager cet article"),
    (
        "fr",
        "cookie-banner",
        "Nous utilisons des cookies pour améliorer votre expérience sur notre site.",
    ),
    ("fr", "cookie-banner", "Accepter tous les cookies"),
    ("fr", "subscribe-prompt", "Abonnez-vous à notre newsletter"),
    (
        "fr",
        "subscribe-prompt",
        "Inscrivez-vous à la newsletter pour recevoir nos articles.",
    ),
    ("fr", "related-posts", "À lire aussi"),
    ("fr", "related-posts", "Articles similaires"),
    ("fr", "related-posts", "Les plus lus"),
    ("fr", "comment-form", "Laisser un commentaire"),
    ("fr", "comment-form", "Commentaires"),
    (
        "fr",
        "comment-form",
        "Votre adresse e-mail ne sera pas publiée.",
    ),
    ("fr", "tags", "Mots-clés : Paris, transports, grève"),
    (
        "fr",
        "see-also",
        "Lire aussi : La grève s'étend aux aéroports",
    ),
    ("fr", "follow-prompt", "Suivez-nous sur Twitter"),
    ("fr", "copyright", "© Le Monde 2024 - Tous droits réservés"),
    ("fr", "credit-line", "Photo : AFP"),
    // Spanish
    ("es", "share-buttons", "Compartir"),
    ("es", "share-buttons", "Compartir en WhatsApp"),
    (
        "es",
        "cookie-banner",
        "Utilizamos cookies propias y de terceros para mejorar nuestros servicios.",
    ),
    ("es", "cookie-banner", "Aceptar todas las cookies"),
    ("es", "cookie-banner", "Política de cookies"),
    ("es", "subscribe-prompt", "Suscríbete a nuestro boletín"),
    ("es", "related-posts", "Noticias relacionadas"),
    ("es", "related-posts", "Te puede interesar"),
    ("es", "related-posts", "Lo más leído"),
    ("es", "comment-form", "Deja un comentario"),
    ("es", "comment-form", "Comentarios (3)"),
    (
        "es",
        "comment-form",
        "Tu dirección de correo electrónico no será publicada.",
    ),
    ("es", "tags", "Etiquetas: Madrid, vivienda"),
    (
        "es",
        "see-also",
        "Lee también: El Gobierno aprueba la ley de vivienda",
    ),
    ("es", "follow-prompt", "Síguenos en Instagram"),
    (
        "es",
        "copyright",
        "© El País. Todos los derechos reservados.",
    ),
    ("es", "credit-line", "Imagen: EFE"),
    // Italian
    ("it", "share-buttons", "Condividi"),
    ("it", "share-buttons", "Condividi su Facebook"),
    (
        "it",
        "cookie-banner",
        "Questo sito utilizza cookie tecnici e di profilazione.",
    ),
    ("it", "cookie-banner", "Accetta tutti i cookie"),
    ("it", "cookie-banner", "Informativa sui cookie"),
    ("it", "subscribe-prompt", "Iscriviti alla newsletter"),
    ("it", "related-posts", "Articoli correlati"),
    ("it", "related-posts", "Potrebbe interessarti anche"),
    ("it", "related-posts", "I più letti"),
    ("it", "comment-form", "Lascia un commento"),
    ("it", "comment-form", "Commenti"),
    (
        "it",
        "comment-form",
        "Il tuo indirizzo email non sarà pubblicato.",
    ),
    ("it", "tags", "Argomenti: Roma, traffico"),
    ("it", "see-also", "Leggi anche: Roma, chiude la metro C"),
    ("it", "follow-prompt", "Seguici su Facebook"),
    (
        "it",
        "copyright",
        "Copyright 2024 Corriere della Sera. Tutti i diritti riservati.",
    ),
    ("it", "credit-line", "Foto: Ansa"),
    // Portuguese
    ("pt", "share-buttons", "Compartilhar"),
    ("pt", "share-buttons", "Partilhar"),
    (
        "pt",
        "cookie-banner",
        "Este site utiliza cookies para melhorar a sua experiência.",
    ),
    ("pt", "cookie-banner", "Aceitar todos os cookies"),
    ("pt", "subscribe-prompt", "Assine a nossa newsletter"),
    ("pt", "subscribe-prompt", "Inscreva-se na newsletter"),
    ("pt", "related-posts", "Notícias relacionadas"),
    ("pt", "related-posts", "Leia também"),
    ("pt", "related-posts", "Mais lidas"),
    ("pt", "comment-form", "Deixe um comentário"),
    ("pt", "comment-form", "Comentários"),
    (
        "pt",
        "comment-form",
        "O seu endereço de email não será publicado.",
    ),
    ("pt", "tags", "Temas: Lisboa, habitação"),
    ("pt", "see-also", "Veja também: Governo anuncia novo pacote"),
    ("pt", "follow-prompt", "Siga-nos no Instagram"),
    (
        "pt",
        "copyright",
        "© 2024 Público. Todos os direitos reservados.",
    ),
    // Dutch
    ("nl", "share-buttons", "Delen"),
    ("nl", "share-buttons", "Deel dit artikel"),
    (
        "nl",
        "cookie-banner",
        "Wij gebruiken cookies om onze website te verbeteren.",
    ),
    ("nl", "cookie-banner", "Alle cookies accepteren"),
    ("nl", "cookie-banner", "Cookiebeleid"),
    (
        "nl",
        "subscribe-prompt",
        "Schrijf je in voor onze nieuwsbrief",
    ),
    ("nl", "subscribe-prompt", "Abonneer nu"),
    ("nl", "related-posts", "Gerelateerde artikelen"),
    ("nl", "related-posts", "Meest gelezen"),
    ("nl", "comment-form", "Laat een reactie achter"),
    ("nl", "comment-form", "Reacties (8)"),
    (
        "nl",
        "comment-form",
        "Je e-mailadres wordt niet gepubliceerd.",
    ),
    ("nl", "tags", "Trefwoorden: Amsterdam, wonen"),
    (
        "nl",
        "see-also",
        "Lees ook: Kabinet wil meer woningen bouwen",
    ),
    ("nl", "follow-prompt", "Volg ons op Twitter"),
    (
        "nl",
        "copyright",
        "© 2024 De Volkskrant. Alle rechten voorbehouden.",
    ),
    // Polish
    ("pl", "share-buttons", "Udostępnij"),
    ("pl", "share-buttons", "Udostępnij na Facebooku"),
    (
        "pl",
        "cookie-banner",
        "Używamy plików cookies, aby ułatwić Ci korzystanie z naszego serwisu.",
    ),
    ("pl", "cookie-banner", "Akceptuję wszystkie pliki cookie"),
    ("pl", "cookie-banner", "Polityka cookies"),
    ("pl", "subscribe-prompt", "Zapisz się do newslettera"),
    ("pl", "related-posts", "Powiązane artykuły"),
    ("pl", "related-posts", "Najczęściej czytane"),
    ("pl", "related-posts", "Czytaj także"),
    ("pl", "comment-form", "Dodaj komentarz"),
    ("pl", "comment-form", "Komentarze (5)"),
    (
        "pl",
        "comment-form",
        "Twój adres e-mail nie zostanie opublikowany.",
    ),
    ("pl", "tags", "Tagi: Warszawa, transport"),
    ("pl", "see-also", "Zobacz też: Rząd przyjął nowy budżet"),
    ("pl", "follow-prompt", "Obserwuj nas na Facebooku"),
    (
        "pl",
        "copyright",
        "© 2024 Gazeta Wyborcza. Wszelkie prawa zastrzeżone.",
    ),
    ("pl", "credit-line", "Zdjęcie: PAP"),
];

/// Article prose that mentions what the rules look for and must survive.
const NEGATIVES: &[(&str, &str)] = &[
    (
        "de",
        "Die Bundesregierung will die Regeln für Cookies auf Webseiten verschärfen, sagte die Ministerin am Dienstag.",
    ),
    (
        "de",
        "Wir verwenden keine Daten aus den Cookies der Nutzer, versicherte der Konzern in einer Stellungnahme vor dem Ausschuss.",
    ),
    (
        "de",
        "Kommentare des Ministers sorgten am Mittwoch für Empörung bei den Angehörigen der Opfer.",
    ),
    (
        "de",
        "Wer den Newsletter abonnieren will, muss künftig sein Alter nachweisen, berichtet die Verbraucherzentrale.",
    ),
    (
        "fr",
        "La Commission a infligé une amende à l'entreprise qui refusait d'accepter tous les cookies des utilisateurs européens.",
    ),
    (
        "fr",
        "Les commentaires du ministre ont provoqué la colère des syndicats, qui appellent à une nouvelle grève jeudi.",
    ),
    (
        "fr",
        "Partager les richesses reste la priorité du gouvernement, a déclaré la Première ministre devant l'Assemblée.",
    ),
    (
        "es",
        "Compartir el coche se ha convertido en la opción favorita de los estudiantes que viajan a Madrid cada semana.",
    ),
    (
        "es",
        "Los comentarios del presidente sobre la vivienda han generado una fuerte polémica en el Congreso.",
    ),
    (
        "es",
        "Utilizamos todos los recursos disponibles para encontrar a los desaparecidos, dijo el jefe de bomberos.",
    ),
    (
        "it",
        "Condividi la tua esperienza, ha chiesto il sindaco ai cittadini durante l'assemblea pubblica di ieri sera.",
    ),
    (
        "it",
        "I commenti del ministro hanno suscitato polemiche tra i sindacati e l'opposizione in Parlamento.",
    ),
    (
        "pt",
        "O governo quer partilhar os custos da obra com as autarquias, disse o ministro das Infraestruturas.",
    ),
    (
        "pt",
        "Os comentários do treinador depois do jogo foram criticados pela direção do clube.",
    ),
    (
        "nl",
        "Delen van gegevens met de politie mag alleen met toestemming van de rechter, oordeelde het hof.",
    ),
    (
        "nl",
        "Reacties van bewoners op het plan waren overwegend negatief, meldt de gemeente in een brief aan de raad.",
    ),
    (
        "pl",
        "Udostępnij dane, a dostaniesz zniżkę – tak operatorzy zachęcają klientów do zgody na profilowanie.",
    ),
    (
        "pl",
        "Komentarze polityków po wyborach były wyjątkowo ostre, a opozycja zapowiedziała protest.",
    ),
    (
        "pl",
        "Rząd chce, aby wszelkie prawa zastrzeżone dla państwa przeszły na samorządy do końca roku, powiedział minister.",
    ),
];

#[test]
fn every_family_is_recognised_in_each_language() {
    let s = Stripper::new(&[], true).unwrap();
    let mut failures = Vec::new();
    for (lang, rule, line) in POSITIVES {
        let got = s.match_paragraph(line).map(|r| r.name);
        if got != Some(*rule) {
            failures.push(format!("{lang}: {line:?} matched {got:?}, not {rule}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn prose_in_each_language_survives() {
    let s = Stripper::new(&[], true).unwrap();
    let failures: Vec<String> = NEGATIVES
        .iter()
        .filter_map(|(lang, line)| {
            s.match_paragraph(line)
                .map(|r| format!("{lang}: {line:?} matched {}", r.name))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_language_has_examples_of_the_main_families() {
    for lang in ["de", "fr", "es", "it", "pt", "nl", "pl"] {
        for rule in [
            "share-buttons",
            "cookie-banner",
            "subscribe-prompt",
            "related-posts",
            "comment-form",
            "tags",
            "copyright",
        ] {
            assert!(
                POSITIVES.iter().any(|(l, r, _)| *l == lang && *r == rule),
                "no {rule} example in {lang}"
            );
        }
        assert!(
            NEGATIVES.iter().any(|(l, _)| *l == lang),
            "no prose in {lang}"
        );
    }
}
