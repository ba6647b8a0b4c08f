use super::*;
use std::collections::HashMap;

fn parse(query: &str) -> DashboardView {
    let map: HashMap<String, String> = query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    DashboardView::from_query(|name| map.get(name).cloned())
}

fn preset(key: &str) -> RangePreset {
    RangePreset::from_key(key).unwrap()
}

#[test]
fn an_empty_query_is_the_default_view() {
    let view = parse("");
    assert_eq!(view, DashboardView::default());
    assert_eq!(view.to_query(), "?range=1h");
    assert_eq!(view.range(), TimeRange::Preset(RangePreset::DEFAULT));
}

#[test]
fn every_part_round_trips_through_the_url() {
    let view = DashboardView {
        dashboard: Some(7),
        preset: preset("6h"),
        zoom: Some((1_000_000, 1_060_000)),
        refresh: RefreshChoice::from_key("30s").unwrap(),
        custom_refresh_ms: None,
        linked: false,
    };
    let query = view.to_query();
    assert_eq!(query, "?d=7&range=6h&from=1000000&to=1060000&refresh=30s&link=off");
    assert_eq!(parse(&query), view);
    assert!(parse("?link=on").linked && parse(&view.with_linked(true).to_query()).linked);
    assert_eq!(
        view.range(),
        TimeRange::Absolute {
            from: 1_000_000,
            to: 1_060_000
        }
    );
    assert_eq!(view.range().span_ms(), 60_000);
}

#[test]
fn malformed_parts_fall_back_to_defaults() {
    let view = parse("?d=x&range=2y&from=10&to=5&refresh=1s");
    assert_eq!(view, DashboardView::default());
    assert_eq!(parse("?from=1000&to=1500").zoom, None, "narrower than a second");
    assert_eq!(parse("?from=1000").zoom, None, "half a window");
}

#[test]
fn a_drag_zooms_in_either_direction_and_a_click_does_not() {
    let view = parse("?range=24h");
    let zoomed = view.zoomed(90_000, 30_000).unwrap();
    assert_eq!(zoomed.zoom, Some((30_000, 90_000)));
    assert_eq!(zoomed.preset, preset("24h"), "reset goes back to it");
    assert_eq!(view.zoomed(5_000, 5_400), None);
    assert_eq!(zoomed.with_preset(preset("7d")).zoom, None, "a preset ends the zoom");
    assert_eq!(
        zoomed.with_refresh(RefreshChoice::from_key("off").unwrap()).zoom,
        zoomed.zoom
    );
    assert_eq!(
        zoomed.with_dashboard(3).to_query(),
        "?d=3&range=24h&from=30000&to=90000"
    );
}

#[test]
fn query_times_follow_the_range() {
    assert_eq!(
        TimeRange::Preset(preset("15m")).query_times(),
        (TimeSpec::FromNow(-900_000), TimeSpec::FromNow(0))
    );
    assert_eq!(
        TimeRange::Absolute { from: 5, to: 9_000 }.query_times(),
        (TimeSpec::At(5), TimeSpec::At(9_000))
    );
}

#[test]
fn a_custom_refresh_interval_wins_until_a_choice_is_made() {
    let view = parse("?refresh=250ms");
    assert_eq!(view.refresh_every_ms(), Some(250));
    assert_eq!(view.to_query(), "?range=1h&refresh=250ms");
    assert_eq!(parse("?refresh=20ms").custom_refresh_ms, None, "too fast");
    assert_eq!(parse("?refresh=xms").custom_refresh_ms, None);
    let off = view.with_refresh(RefreshChoice::from_key("off").unwrap());
    assert_eq!(
        (off.refresh_every_ms(), off.to_query().as_str()),
        (None, "?range=1h&refresh=off")
    );
    assert_eq!(parse("").refresh_every_ms(), Some(5_000));
}

#[test]
fn the_newest_part_ends_where_the_window_ends() {
    assert_eq!(
        TimeRange::Preset(preset("7d")).newest_part(8),
        (TimeSpec::FromNow(-75_600_000), TimeSpec::FromNow(0))
    );
    assert_eq!(
        TimeRange::Absolute { from: 0, to: 80_000 }.newest_part(8),
        (TimeSpec::At(70_000), TimeSpec::At(80_000))
    );
}

#[test]
fn a_window_as_times() {
    assert_eq!(
        TimeRange::Preset(preset("1h")).window_at(5_000_000),
        (1_400_000, 5_000_000)
    );
    assert_eq!(TimeRange::Absolute { from: 7, to: 9 }.window_at(5_000_000), (7, 9));
}
