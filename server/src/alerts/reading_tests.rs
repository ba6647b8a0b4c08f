use super::*;
use crate::alerts::test_rule::hot_boiler;
use app::model::{AlertRuleDraft, Stats};

fn rule(reducer: Reducer, select: Option<&str>) -> CheckedRule {
    AlertRuleDraft {
        series: if select.is_some() {
            String::new()
        } else {
            "boiler.temp".into()
        },
        select: select.map(str::to_owned),
        reducer,
        window: Some("5m".into()),
        no_data_after: Some("1m".into()),
        labels: [("team".to_owned(), "heat".to_owned())].into(),
        ..hot_boiler()
    }
    .checked()
    .unwrap()
}

fn stats(points: &[(i64, f64)]) -> Stats {
    let vs: Vec<f64> = points.iter().map(|p| p.1).collect();
    Stats {
        count: vs.len() as u64,
        min: vs.iter().copied().reduce(f64::min),
        max: vs.iter().copied().reduce(f64::max),
        avg: (!vs.is_empty()).then(|| vs.iter().sum::<f64>() / vs.len() as f64),
        last: vs.last().copied(),
    }
}

fn answer(points: Vec<(i64, f64)>) -> QueryResult {
    QueryResult {
        series: "boiler.temp".into(),
        unit: None,
        from: 0,
        to: 0,
        resolution: "raw".into(),
        rows_read: 0,
        agg: Agg::Lttb,
        stats: stats(&points),
        points,
        bucket: None,
        matched: None,
        lines: Vec::new(),
        more: 0,
    }
}

#[test]
fn every_reducer_reads_its_statistic() {
    let points = [(1_000, 10.0), (3_000, 30.0), (5_000, 20.0)];
    let s = stats(&points);
    assert_eq!(reduce(Reducer::Last, &s, &points), Some(20.0));
    assert_eq!(reduce(Reducer::Avg, &s, &points), Some(20.0));
    assert_eq!(reduce(Reducer::Min, &s, &points), Some(10.0));
    assert_eq!(reduce(Reducer::Max, &s, &points), Some(30.0));
    assert_eq!(reduce(Reducer::Count, &s, &points), Some(3.0));
    // From the first point to the last: +10 in 4 s.
    assert_eq!(reduce(Reducer::Rate, &s, &points), Some(2.5));
    assert_eq!(reduce(Reducer::Rate, &stats(&points[..1]), &points[..1]), None);
    assert_eq!(reduce(Reducer::Last, &Stats::default(), &[]), None);
}

#[test]
fn the_query_reads_the_trailing_window_exactly() {
    let q = query_for(&rule(Reducer::Rate, None), 1_000_000);
    assert_eq!((q.from, q.to), (TimeSpec::At(700_000), TimeSpec::At(1_000_000)));
    assert_eq!((q.points, q.agg, q.resolution), (2, Agg::Lttb, Resolution::Raw));
    assert_eq!(q.lines, None);
    let q = query_for(&rule(Reducer::Last, Some("boiler.temp{site=\"n\"}")), 1_000_000);
    assert_eq!(q.lines, Some(MAX_LINES));
}

#[test]
fn one_series_gives_one_instance_named_by_rule_and_series() {
    let r = rule(Reducer::Last, None);
    let answer = answer(vec![(990_000, 85.0)]);
    let got = readings(&r, Outcome::Answer(&answer), 1_000_000).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].evaluation, Evaluation::Value(85.0));
    assert_eq!(got[0].newest, Some(990_000));
    let labels: Vec<(&str, &str)> = got[0].labels.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        labels,
        [("alertname", "hot"), ("series", "boiler.temp"), ("team", "heat")]
    );
}

#[test]
fn a_window_whose_newest_point_is_older_than_no_data_reads_no_value() {
    let r = rule(Reducer::Avg, None);
    // The window still holds points, but none for the last minute.
    let answer = answer(vec![(800_000, 85.0), (930_000, 86.0)]);
    let got = readings(&r, Outcome::Answer(&answer), 1_000_000).unwrap();
    assert_eq!(got[0].evaluation, Evaluation::NoValue);
    assert_eq!(got[0].newest, Some(930_000));
}

#[test]
fn a_missing_series_is_no_data_and_a_failure_is_an_error() {
    let r = rule(Reducer::Last, None);
    let got = readings(&r, Outcome::NoSeries, 1_000_000).unwrap();
    assert_eq!(got[0].evaluation, Evaluation::NoValue);
    assert_eq!(
        readings(&r, Outcome::Failed("disk".into()), 1_000_000),
        Err("disk".to_owned())
    );
}

#[test]
fn a_selector_gives_one_instance_per_line_with_its_labels() {
    let r = rule(Reducer::Max, Some("boiler.temp"));
    let line = |site: &str, v: f64| Line {
        series: Some(format!("boiler.temp{{site={site}}}")),
        labels: [
            ("__name__".to_owned(), "boiler.temp".to_owned()),
            ("site".to_owned(), site.to_owned()),
        ]
        .into(),
        series_count: 1,
        unit: None,
        points: vec![(995_000, v)],
        bucket: None,
        stats: stats(&[(995_000, v)]),
    };
    let mut a = answer(Vec::new());
    a.lines = vec![line("n", 95.0), line("s", 20.0)];
    let got = readings(&r, Outcome::Answer(&a), 1_000_000).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].labels["site"], "n");
    assert_eq!(got[0].labels["alertname"], "hot");
    assert_eq!(got[0].labels["series"], "boiler.temp{site=n}");
    assert_eq!(got[1].evaluation, Evaluation::Value(20.0));
}
