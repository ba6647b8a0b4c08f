//! `POST /api/v1/write` bodies: a valid batch or an error naming a point.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = server::ingest::parse_native_batch(data, 1_795_428_000_000);
});
