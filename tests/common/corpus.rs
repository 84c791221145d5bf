//! A generated corpus of news-like documents, the same for the same seed:
//! prose paragraphs, repeated boilerplate lines, and paragraphs copied
//! from earlier documents, so that every stage has work to do.

use std::fs;
use std::path::Path;

/// A small deterministic random number generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `lo..hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo) as u64) as usize
    }
}

const WORDS: &str = "council approved budget after debate evening local businesses road \
    closures takings police witness collision hospital waiting times improved quarter volunteers \
    planted trees river weekend company declined comment reports students walkout protest fees \
    festival summer stage the a of and to in on for with";

const FURNITURE: &[&str] = &[
    "Share this article",
    "Subscribe to our newsletter",
    "Related stories",
    "Follow us on Twitter",
];

/// Writes `docs` documents under `dir` and returns their total size.
pub fn generate(dir: &Path, docs: usize, seed: u64) -> usize {
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut rng = Rng::new(seed);
    let mut earlier: Vec<String> = Vec::new();
    let mut total = 0;
    fs::create_dir_all(dir).unwrap();
    for d in 0..docs {
        let mut paragraphs = Vec::new();
        for _ in 0..rng.range(4, 14) {
            let p = match rng.range(0, 10) {
                0 if !earlier.is_empty() => earlier[rng.range(0, earlier.len())].clone(),
                1 => FURNITURE[rng.range(0, FURNITURE.len())].to_string(),
                _ => {
                    let words: Vec<&str> = (0..rng.range(8, 70))
                        .map(|_| words[rng.range(0, words.len())])
                        .collect();
                    let mut p = words.join(" ");
                    p[..1].make_ascii_uppercase();
                    p.push('.');
                    if earlier.len() < 5000 {
                        earlier.push(p.clone());
                    }
                    p
                }
            };
            paragraphs.push(p);
        }
        let text = paragraphs.join("\n\n") + "\n";
        total += text.len();
        // Spread over sub-directories, as drops often are.
        let path = dir.join(format!("{:02}/{d:05}.txt", d % 7));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    total
}
