//! Decoding any bytes: deterministic, and valid UTF-8 comes back unchanged.
#![no_main]

use dedupe::read::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let first = decode(data.to_vec());
    assert_eq!(
        first,
        decode(data.to_vec()),
        "decoding is not deterministic"
    );
    if let Ok(t) = &first {
        assert!(t.body_start <= t.text.len() && t.text.is_char_boundary(t.body_start));
        if let Ok(s) = std::str::from_utf8(data) {
            assert_eq!(t.text, s, "UTF-8 changed by decoding");
        }
    }
});
