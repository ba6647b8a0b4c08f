//! Stored chunks: decoding any bytes never panics, and whatever decodes
//! re-encodes to the same points, bit for bit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use server::store::codec::{decode, encode};

fuzz_target!(|data: &[u8]| {
    if let Ok(points) = decode(data) {
        let again = decode(&encode(&points)).expect("re-encoded chunk decodes");
        let bits = |p: &[(i64, f64)]| p.iter().map(|&(t, v)| (t, v.to_bits())).collect::<Vec<_>>();
        assert_eq!(bits(&again), bits(&points));
    }
});
