//! Any selector text (`select=` of queries, lists and label values): a
//! selector or an error, never a panic; a parsed selector's canonical text
//! parses to the same selector; compiling and running it over a small
//! catalogue never panics.
#![no_main]

use app::domain::Selector;
use libfuzzer_sys::fuzz_target;
use server::store::{Catalog, CompiledSelector};
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let mut c = Catalog::default();
        let keys = [
            "a",
            r#"fleet.f1{device="d01",site="s1"}"#,
            r#"fleet.f2{device="d02",line="3",site="s2"}"#,
            r#"x{path="C:\\x \"y\""}"#,
        ];
        c.add(keys.iter().enumerate().map(|(i, k)| (i as i64 + 1, k.to_string())));
        c
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(selector) = Selector::parse(text) else { return };
    let again = Selector::parse(&selector.to_string()).expect("the canonical text parses");
    assert_eq!(again, selector);
    if let Ok(compiled) = CompiledSelector::new(&selector) {
        let _ = catalog().select(&compiled, 10);
    }
});
