//! The kernel against the reference implementation's own selections
//! (fixtures/lttb_reference.json, made by fixtures/lttb_reference.mjs).

use app::domain::lttb_select;
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    datasets: Vec<Dataset>,
}

#[derive(Deserialize)]
struct Dataset {
    kind: String,
    data: Vec<(i64, f64)>,
    picks: Vec<Pick>,
}

#[derive(Deserialize)]
struct Pick {
    threshold: usize,
    indices: Vec<usize>,
}

#[test]
fn selects_exactly_what_the_reference_selects() {
    let fixture: Fixture = serde_json::from_str(include_str!("fixtures/lttb_reference.json")).unwrap();
    let mut checked = 0;
    for set in &fixture.datasets {
        for pick in &set.picks {
            let mut ours = Vec::new();
            lttb_select(&set.data, pick.threshold, |i| ours.push(i)).unwrap();
            assert_eq!(ours, pick.indices, "{} with threshold {}", set.kind, pick.threshold);
            checked += 1;
        }
    }
    assert!(checked >= 20, "fixture holds only {checked} cases");
}
