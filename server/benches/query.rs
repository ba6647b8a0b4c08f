//! The query engine without HTTP round trips: the planner, an uncached and
//! a cached 30-day query, a `304` poll through the router, and the series
//! search and selection over 1,000,000 series. Run: `cargo bench -p server --bench query`

use app::domain::Selector;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use clap::Parser;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use server::batch::{SeriesPoints, ValidBatch};
use server::config::Config;
use server::query::{plan, QueryBudget, QueryCache, QueryService, ResolvedQuery};
use server::store::{Catalog, CompiledSelector, KeyQuery, Store};
use server::{router, AppState};
use std::time::Instant;
use tower::ServiceExt;

use app::domain::TimeSpec;
use app::model::{Agg, QueryRequest, Resolution};

const T0: i64 = 1_790_000_000_000;
const DAY: i64 = 86_400_000;

/// A store holding 30 days of 1 Hz data in `long.temp`, compacted.
fn month(rt: &tokio::runtime::Runtime, dir: &std::path::Path) -> Store {
    rt.block_on(async {
        let store = Store::open(&dir.join("bench.db"), 2).await.expect("store");
        for day in 0..30 {
            let points = (0..86_400)
                .map(|s| {
                    let t = T0 + day * DAY + s * 1_000;
                    (t, 20.0 + ((s * 7) % 600) as f64 / 100.0)
                })
                .collect();
            let series = vec![SeriesPoints {
                key: "long.temp".into(),
                unit: None,
                points,
            }];
            store
                .write_batch(ValidBatch::from_validated(series).expect("batch"))
                .await
                .expect("write");
        }
        store.flush().await.expect("flush");
        while store.compact_due(i64::MAX / 2, 10_000).await.expect("compact") > 0 {}
        store
    })
}

fn query() -> QueryRequest {
    QueryRequest {
        series: "long.temp".into(),
        from: TimeSpec::At(T0),
        to: TimeSpec::At(T0 + 30 * DAY - 1),
        points: 1_000,
        agg: Agg::Auto,
        resolution: Resolution::Auto,
        ..Default::default()
    }
}

fn engine(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = month(&rt, dir.path());
    let mut group = c.benchmark_group("query");
    group.sample_size(50);

    let series = rt
        .block_on(store.read(|reader| reader.series("long.temp")))
        .expect("read")
        .expect("series");
    let resolved = ResolvedQuery::resolve(&query(), 0).expect("query");
    // Timed inside one read, so the figure is the planner's alone.
    group.bench_function("plan_30_days_to_1000", |b| {
        b.iter_custom(|iters| {
            let (series, resolved) = (series.clone(), resolved.clone());
            rt.block_on(store.read(move |reader| {
                let started = Instant::now();
                for _ in 0..iters {
                    plan::choose(reader, black_box(&series), black_box(&resolved))?;
                }
                Ok(started.elapsed())
            }))
            .expect("plan")
        })
    });

    let uncached = QueryService::new(store.clone(), QueryCache::new(0), QueryBudget::default());
    group.bench_function("uncached_30_days_to_1000", |b| {
        b.iter(|| rt.block_on(uncached.run(query())).expect("answer"))
    });
    let cached = QueryService::new(store.clone(), QueryCache::new(32 << 20), QueryBudget::default());
    rt.block_on(cached.run(query())).expect("warm");
    group.bench_function("cached_30_days_to_1000", |b| {
        b.iter(|| rt.block_on(cached.run(query())).expect("answer"))
    });

    let config = Config::try_parse_from(["sensorboard"]).expect("config");
    let app = router(AppState::new(store.clone(), &config));
    let uri = format!(
        "/api/v1/query?series=long.temp&from={T0}&to={}&points=1000",
        T0 + 30 * DAY - 1
    );
    let get = |tag: Option<&str>| {
        let mut req = Request::get(&uri);
        if let Some(tag) = tag {
            req = req.header("if-none-match", tag);
        }
        rt.block_on(app.clone().oneshot(req.body(Body::empty()).expect("request")))
            .expect("response")
    };
    let etag = get(None).headers()["etag"].to_str().expect("etag").to_owned();
    group.bench_function("poll_304_through_the_router", |b| {
        b.iter(|| {
            let response = get(Some(&etag));
            assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        })
    });
    group.finish();
}

/// A fleet's catalogue: 50,000 devices × 20 fields = 1,000,000 series.
fn fleet_catalog() -> Catalog {
    let mut catalog = Catalog::default();
    let keys = (0..50_000)
        .flat_map(|d| (0..20).map(move |f| format!("fleet.f{f}{{device=\"d{d:06}\",site=\"s{}\"}}", d % 50)));
    catalog.add(keys.enumerate().map(|(i, k)| (i as i64 + 1, k)));
    catalog
}

fn search(c: &mut Criterion) {
    let catalog = fleet_catalog();
    let find = |needle: &str| {
        catalog.search(&KeyQuery {
            needle,
            after: None,
            within: None,
            limit: 100,
        })
    };
    assert_eq!(find("d049999\"").len(), 20);
    let mut group = c.benchmark_group("series_search_1m");
    group.bench_function("one_device_of_50000", |b| b.iter(|| find(black_box("d049999\""))));
    group.bench_function("rare_substring", |b| b.iter(|| find(black_box("zzz"))));
    group.bench_function("common_substring_first_100", |b| b.iter(|| find(black_box("f7{"))));
    group.bench_function("next_page_after_the_middle", |b| {
        b.iter(|| {
            catalog.search(&KeyQuery {
                needle: "",
                after: Some(black_box("fleet.f3{device=\"d025000\",site=\"s0\"}")),
                within: None,
                limit: 100,
            })
        })
    });
    group.finish();
    let mut group = c.benchmark_group("series_select_1m");
    let compiled = |text: &str| CompiledSelector::new(&Selector::parse(text).unwrap()).unwrap();
    for (name, text) in [
        ("name_and_site_1000_series", r#"fleet.f3{site="s2"}"#),
        ("regex_on_devices_200_series", r#"fleet.f3{device=~"d0001.*"}"#),
        (
            "negative_and_regex_19000",
            r#"{site="s2", __name__!="fleet.f3", device=~"d0.*"}"#,
        ),
    ] {
        let selector = compiled(text);
        group.bench_function(name, |b| {
            b.iter(|| catalog.select(black_box(&selector), 1_000_000).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, engine, search);
criterion_main!(benches);
