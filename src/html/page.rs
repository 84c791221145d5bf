//! The page of the HTML report: the summary and charts as plain HTML, the
//! tabs the script fills, the data blocks and the script (see
//! [`crate::html`]).

use super::{CHUNK_DOCUMENTS, KINDS, SHARE_BINS, Spool, script_json};
use crate::error::FileError;
use crate::report::{self, Report};
use std::fmt::Write as _;
use std::io::{self, BufRead, BufReader, Write};

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// The whole page.
pub(super) fn render(report: &Report, spool: &Spool, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>dedupe report: {} documents, {} removed</title>\n<style>\n{CSS}</style>\n</head>\n\
         <body data-chunk=\"{CHUNK_DOCUMENTS}\">\n",
        s.documents,
        s.removed()
    )?;
    out.write_all(header(report).as_bytes())?;
    out.write_all(summary(report, spool).as_bytes())?;
    out.write_all(sections(report, spool).as_bytes())?;
    // The data, then the script that renders it.
    out.write_all(b"<script type=\"application/json\" id=\"dd-index\">[")?;
    for (i, row) in spool.rows.iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        out.write_all(row)?;
    }
    out.write_all(b"]</script>\n<script type=\"application/json\" id=\"dd-groups\">")?;
    let groups: Vec<_> = report
        .duplicate_groups
        .iter()
        .filter(|g| spool.shown.contains(&g.kept.path))
        .collect();
    out.write_all(&script_json(serde_json::to_vec(&groups)?))?;
    out.write_all(b"</script>\n<script type=\"application/json\" id=\"dd-document-groups\">")?;
    out.write_all(&script_json(serde_json::to_vec(&report.document_groups)?))?;
    out.write_all(b"</script>\n")?;
    if let Some(file) = &spool.file {
        let mut lines = BufReader::new(file.get_ref()).split(b'\n');
        for first in (0..spool.rows.len()).step_by(CHUNK_DOCUMENTS) {
            write!(
                out,
                "<script type=\"application/json\" class=\"dd-chunk\" data-first=\"{first}\">["
            )?;
            for k in 0..CHUNK_DOCUMENTS.min(spool.rows.len() - first) {
                let line = lines.next().ok_or_else(|| {
                    io::Error::new(io::ErrorKind::UnexpectedEof, "document data ended early")
                })??;
                if k > 0 {
                    out.write_all(b",\n")?;
                }
                out.write_all(&line)?;
            }
            out.write_all(b"]</script>\n")?;
        }
    }
    write!(out, "<script>\n{JS}</script>\n</body>\n</html>\n")
}

fn header(report: &Report) -> String {
    let p = &report.parameters;
    let mut meta = vec![
        format!("{} {}", report.tool.name, report.tool.version),
        format!("{} mode", p.mode),
    ];
    match &p.near_duplicates {
        Some(near) => meta.push(format!(
            "near-duplicates at {} (shingles of {} words), documents at {}",
            near.threshold, near.shingle_width, near.document_threshold
        )),
        None => meta.push("exact duplicates only".to_string()),
    }
    meta.push(if p.strip {
        format!("{} boilerplate rules", p.rules.len())
    } else {
        "no boilerplate stripping".to_string()
    });
    format!(
        "<header class=\"top\">\n<h1>dedupe report</h1>\n<p class=\"meta\">{}</p>\n</header>\n",
        escape(&meta.join(" · "))
    )
}

fn summary(report: &Report, spool: &Spool) -> String {
    let s = &report.summary;
    let mut h = String::from("<section id=\"summary\">\n<div class=\"cards\">\n");
    let share = |part: u64, whole: u64| {
        if whole == 0 {
            0.0
        } else {
            100.0 * part as f64 / whole as f64
        }
    };
    let cards = [
        ("documents", s.documents.to_string(), String::new()),
        ("paragraphs", s.paragraphs.to_string(), String::new()),
        ("kept", s.kept.to_string(), String::new()),
        (
            "removed",
            s.removed().to_string(),
            format!(
                "{:.1}% of paragraphs",
                share(s.removed() as u64, s.paragraphs as u64)
            ),
        ),
        (
            "bytes removed",
            format!(
                "{:.1}%",
                share(s.bytes_in.saturating_sub(s.bytes_out), s.bytes_in)
            ),
            format!("{} → {} bytes", s.bytes_in, s.bytes_out),
        ),
        (
            "duplicate documents",
            s.duplicate_documents.to_string(),
            format!("in {} groups", report.document_groups.len()),
        ),
        ("failed", s.failed.to_string(), String::new()),
    ];
    for (name, value, note) in cards {
        let id = name.replace(' ', "-");
        let _ = writeln!(
            h,
            "<div class=\"card\" id=\"card-{id}\"><b class=\"value\">{value}</b>\
             <span class=\"name\">{name}</span><span class=\"note\">{}</span></div>",
            escape(&note)
        );
    }
    h.push_str("</div>\n");
    if spool.left_out > 0 {
        let _ = writeln!(
            h,
            "<p class=\"note\" id=\"left-out\">This page shows the first {} documents; the {} after \
             them are counted above but left out of the page to keep it light \
             (see the JSON report, or <code>dedupe explain</code>).</p>",
            spool.rows.len(),
            spool.left_out
        );
    }
    h.push_str("<div class=\"charts\">\n");
    h.push_str(&reason_chart(s));
    h.push_str(&document_chart(spool));
    h.push_str("</div>\n</section>\n");
    h
}

/// Removals by reason: one bar per rule and per kind of duplicate.
fn reason_chart(s: &report::Summary) -> String {
    // (label, kind, filter tag, count)
    let mut rows: Vec<(String, &str, String, usize)> = s
        .removed_by_rule
        .iter()
        .map(|(rule, &n)| {
            (
                (*rule).to_string(),
                KINDS[0],
                format!("boilerplate:{rule}"),
                n,
            )
        })
        .collect();
    rows.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.0.cmp(&b.0)));
    let duplicates = [
        (
            "duplicate, same document",
            KINDS[1],
            s.removed_duplicate_within,
        ),
        (
            "duplicate, earlier document",
            KINDS[1],
            s.removed_duplicate_across,
        ),
        (
            "near-duplicate, same document",
            KINDS[2],
            s.removed_near_duplicate_within,
        ),
        (
            "near-duplicate, earlier document",
            KINDS[2],
            s.removed_near_duplicate_across,
        ),
        (
            "duplicate, indexed corpus",
            KINDS[1],
            s.removed_duplicate_corpus,
        ),
        (
            "near-duplicate, indexed corpus",
            KINDS[2],
            s.removed_near_duplicate_corpus,
        ),
        (
            "with a duplicate document",
            KINDS[3],
            s.removed_duplicate_document,
        ),
    ];
    for (label, kind, n) in duplicates {
        if n > 0 {
            rows.push((label.to_string(), kind, kind.to_string(), n));
        }
    }
    let max = rows.iter().map(|r| r.3).max().unwrap_or(0).max(1);
    let mut h = String::from(
        "<figure class=\"chart\" id=\"chart-reasons\">\n<figcaption>Removed paragraphs by reason\
         </figcaption>\n<ul class=\"bars\">\n",
    );
    if rows.is_empty() {
        h.push_str("<li class=\"empty\">nothing removed</li>\n");
    }
    for (label, kind, filter, n) in &rows {
        let _ = writeln!(
            h,
            "<li><button type=\"button\" class=\"bar-row\" data-filter=\"{}\" title=\"show the documents\">\
             <span class=\"label\">{}</span><span class=\"track\"><span class=\"bar k-{kind}\" \
             style=\"width:{:.1}%\"></span></span><span class=\"count\">{n}</span></button></li>",
            escape(filter),
            escape(label),
            100.0 * *n as f64 / max as f64
        );
    }
    h.push_str("</ul>\n");
    h.push_str(&legend());
    h.push_str("</figure>\n");
    h
}

fn legend() -> String {
    let mut h = String::from("<p class=\"legend\">");
    for kind in KINDS {
        let _ = write!(h, "<span class=\"swatch k-{kind}\"></span>{kind} ");
    }
    h.push_str("</p>\n");
    h
}

/// Removals by document: how many documents lost what share of their
/// paragraphs, and the documents that lost the most.
fn document_chart(spool: &Spool) -> String {
    let mut h = String::from(
        "<figure class=\"chart\" id=\"chart-documents\">\n<figcaption>Documents by share of \
         paragraphs removed</figcaption>\n<ul class=\"bars\">\n",
    );
    let max = spool.bins.iter().copied().max().unwrap_or(0).max(1);
    for (label, &n) in SHARE_BINS.iter().zip(&spool.bins) {
        let _ = writeln!(
            h,
            "<li class=\"bar-row\"><span class=\"label\">{label}</span><span class=\"track\">\
             <span class=\"bar k-documents\" style=\"width:{:.1}%\"></span></span>\
             <span class=\"count\">{n}</span></li>",
            100.0 * n as f64 / max as f64
        );
    }
    h.push_str("</ul>\n");
    if !spool.top.is_empty() {
        h.push_str("<figcaption>Most paragraphs removed</figcaption>\n<ul class=\"bars\" id=\"top-documents\">\n");
        let max = spool
            .top
            .iter()
            .map(|t| t.paragraphs)
            .max()
            .unwrap_or(0)
            .max(1);
        for t in &spool.top {
            let name = if t.shown {
                format!(
                    "<a href=\"#d{}\" title=\"{}\">{}</a>",
                    t.index,
                    escape(&t.path),
                    escape(&t.path)
                )
            } else {
                format!("<span title=\"{0}\">{0}</span>", escape(&t.path))
            };
            let _ = write!(
                h,
                "<li class=\"bar-row\"><span class=\"label\">{name}</span><span class=\"track\">"
            );
            for (kind, &n) in KINDS.iter().zip(&t.removed) {
                if n > 0 {
                    let _ = write!(
                        h,
                        "<span class=\"bar k-{kind}\" style=\"width:{:.1}%\" title=\"{n} {kind}\"></span>",
                        100.0 * n as f64 / max as f64
                    );
                }
            }
            let _ = writeln!(
                h,
                "</span><span class=\"count\">{} of {}</span></li>",
                t.removed.iter().sum::<usize>(),
                t.paragraphs
            );
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</figure>\n");
    h
}

/// The tabs and their sections; the script fills them.
fn sections(report: &Report, spool: &Spool) -> String {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<nav class=\"tabs\" role=\"tablist\">\
         <button type=\"button\" data-tab=\"documents\" class=\"active\">Documents ({})</button>\
         <button type=\"button\" data-tab=\"groups\">Repeated paragraphs ({})</button>\
         <button type=\"button\" data-tab=\"document-groups\">Duplicate documents ({})</button>\
         <button type=\"button\" data-tab=\"errors\">Failed files ({})</button></nav>",
        spool.rows.len(),
        report.duplicate_groups.len(),
        report.document_groups.len(),
        report.errors.len()
    );
    h.push_str(
        "<section id=\"documents\" class=\"tab\">\n<div class=\"controls\">\
         <label>Reason <select id=\"filter\"><option value=\"\">all documents</option>\
         <option value=\"removed\">with removals</option></select></label>\
         <label class=\"grow\">Search <input type=\"search\" id=\"search\" \
         placeholder=\"text or file name\"></label>\
         <label><input type=\"checkbox\" id=\"removed-only\"> removed paragraphs only</label>\
         </div>\n<div class=\"pager\" id=\"pager-top\"></div>\n\
         <div id=\"doc-list\"><noscript><p>The documents are shown by a script; \
         this browser runs none.</p></noscript></div>\n\
         <div class=\"pager\" id=\"pager-bottom\"></div>\n</section>\n",
    );
    h.push_str(
        "<section id=\"groups\" class=\"tab\" hidden>\n<p class=\"help\">Paragraphs found more \
         than once, exactly (after normalisation): the first copy, kept, and the copies removed.\
         </p>\n<div class=\"pager\" id=\"group-pager\"></div>\n<div id=\"group-list\"></div>\n\
         </section>\n",
    );
    h.push_str(
        "<section id=\"document-groups\" class=\"tab\" hidden>\n<p class=\"help\">Documents whose \
         word shingles are near-duplicates of an earlier document's (estimated Jaccard \
         similarity).</p>\n<div id=\"document-group-list\"></div>\n</section>\n",
    );
    h.push_str("<section id=\"errors\" class=\"tab\" hidden>\n");
    h.push_str(&errors(&report.errors));
    h.push_str("</section>\n");
    h
}

fn errors(errors: &[FileError]) -> String {
    if errors.is_empty() {
        return "<p class=\"help\">Every file was read.</p>\n".to_string();
    }
    let mut h =
        String::from("<table class=\"errors\"><tr><th>file</th><th>step</th><th>why</th></tr>\n");
    for e in errors {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&e.path),
            e.operation,
            escape(&e.message)
        );
    }
    h.push_str("</table>\n");
    h
}

/// Text made safe in HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(summary: report::Summary) -> Report {
        Report {
            format_version: report::FORMAT_VERSION,
            tool: report::Tool {
                name: "dedupe",
                version: "0",
            },
            parameters: report::Parameters {
                mode: "check",
                extensions: vec!["txt".into()],
                strip: true,
                rules: vec!["ad"],
                normalization: Vec::new(),
                hash: "xxh3-64",
                seed: String::new(),
                near_duplicates: None,
                repeat_min_documents: 3,
                against: None,
            },
            summary,
            documents: report::DocumentSpool::discard(),
            duplicate_groups: Vec::new(),
            document_groups: Vec::new(),
            errors: vec![FileError::new(
                "<bad>.txt",
                crate::error::Operation::Decode,
                "not text",
            )],
        }
    }

    #[test]
    fn summary_charts_and_the_note_on_documents_left_out() {
        let mut summary = report::Summary {
            documents: 3,
            paragraphs: 10,
            kept: 6,
            removed_boilerplate: 3,
            removed_duplicate_across: 1,
            bytes_in: 200,
            bytes_out: 150,
            ..Default::default()
        };
        summary.removed_by_rule.insert("ad", 2);
        summary.removed_by_rule.insert("<script>", 1);
        let report = report(summary);
        let mut spool = Spool::discard();
        spool.rows.push(b"{}".to_vec());
        spool.left_out = 2;
        spool.bins = [1, 0, 0, 1, 0, 0, 1];
        let page = {
            let mut out = Vec::new();
            render(&report, &spool, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert!(page.contains(
            r#"<div class="card" id="card-removed"><b class="value">4</b><span class="name">removed</span><span class="note">40.0% of paragraphs</span>"#
        ));
        assert!(
            page.contains(r#"<b class="value">25.0%</b><span class="name">bytes removed</span>"#)
        );
        assert!(page.contains("This page shows the first 1 documents; the 2 after them"));
        // Rules by count, then the kinds of duplicate; names escaped.
        let ad = page.find(r#"data-filter="boilerplate:ad""#).unwrap();
        let odd = page
            .find(r#"data-filter="boilerplate:&lt;script&gt;""#)
            .unwrap();
        let dup = page.find(r#"data-filter="duplicate""#).unwrap();
        assert!(ad < odd && odd < dup);
        assert!(page.contains(r#"<span class="label">all</span>"#));
        assert!(page.contains("<td>&lt;bad&gt;.txt</td><td>decode</td>"));
        assert!(!page.contains("<bad>"));
        assert!(page.contains(r#"<script type="application/json" id="dd-index">[{}]</script>"#));
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
    }
}
