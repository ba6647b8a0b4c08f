//! `POST /api/telemetry` bodies.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = server::ingest::parse_telemetry(data, 1_795_428_000_000);
});
