//! Any body, any precision: parsing returns a batch or an error, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use server::ingest::{parse_line_batch, LineRules, Precision, StringFields};

fuzz_target!(|data: &[u8]| {
    let Some((&p, body)) = data.split_first() else { return };
    let precision = ["ns", "us", "ms", "s", "m", "h"][usize::from(p) % 6];
    let strings = if p & 0x80 == 0 { StringFields::Reject } else { StringFields::Skip };
    if let Ok(text) = std::str::from_utf8(body) {
        let precision = Precision::parse(precision).unwrap_or_default();
        let rules = LineRules {
            strings,
            ..LineRules::default()
        };
        let _ = parse_line_batch(text, precision, 1_795_428_000_000, rules);
    }
});
