//! The planner and the spike-preserving default through the real router:
//! which data answers (`resolution`, `rows_read`), extremes that survive
//! any zoom, gaps that stay gaps, and late writes that change the answer.

use crate::support::{batch, long_batch, points_of as values, TestApp, DAY, T0};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;

const DAYS: i64 = 3;
const SPIKE_S: i64 = 100_000;
const DIP_S: i64 = 200_001;
/// An hour with no data on the second day.
const GAP_S: (i64, i64) = (90_000, 93_600);

/// Three days of 1 Hz data with one one-sample spike, one one-sample dip,
/// and a missing hour, sent as line protocol.
async fn three_days(app: &TestApp) {
    let seconds: Vec<i64> = (0..DAYS * 86_400).filter(|s| !(GAP_S.0..GAP_S.1).contains(s)).collect();
    for part in seconds.chunks(50_000) {
        let mut body = String::new();
        for &s in part {
            let v = match s {
                SPIKE_S => 500.0,
                DIP_S => -300.0,
                _ => 20.0 + (s % 600) as f64 / 100.0,
            };
            body.push_str(&format!("room temp={v} {}\n", T0 / 1000 + s));
        }
        let req = Request::post("/write?db=x&precision=s").body(Body::from(body)).unwrap();
        let (status, text) = app.request(req).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
    }
}

async fn query(app: &TestApp, extra: &str) -> Value {
    let to = T0 + DAYS * 86_400_000 - 1;
    let (status, body) = app
        .get(&format!(
            "/api/v1/query?series=room.temp&from={T0}&to={to}&points=1000{extra}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn auto_reads_rollups_for_long_windows_and_never_hides_an_extreme() {
    let app = TestApp::new().await;
    three_days(&app).await;

    let auto = query(&app, "").await;
    assert_eq!(auto["agg"], "auto");
    assert_eq!(
        auto["resolution"], "1m",
        "4,320 minute rows fit 20 × 1,000 points; 255,600 raw points do not"
    );
    assert_eq!(auto["rows_read"], DAYS * 1_440 - 60);
    let points = values(&auto);
    assert!(points.len() <= 1_000, "{}", points.len());
    assert!(points.iter().any(|p| p.1 == 500.0), "the spike shows");
    assert!(points.iter().any(|p| p.1 == -300.0), "the dip shows");
    let gap = (T0 + GAP_S.0 * 1_000, T0 + GAP_S.1 * 1_000);
    assert!(
        !points.iter().any(|p| (gap.0..gap.1).contains(&p.0)),
        "the missing hour stays empty"
    );
    assert_eq!(auto["stats"]["count"], DAYS * 86_400 - 3_600);
    assert_eq!(auto["stats"]["max"], 500.0);
    assert_eq!(auto["stats"]["min"], -300.0);

    let raw = query(&app, "&resolution=raw").await;
    assert_eq!(raw["resolution"], "raw");
    assert_eq!(raw["rows_read"], DAYS * 86_400 - 3_600);
    let points = values(&raw);
    assert!(points.len() <= 1_000);
    assert!(
        points.contains(&(T0 + SPIKE_S * 1_000, 500.0)),
        "exact time from raw points"
    );
    assert!(points.contains(&(T0 + DIP_S * 1_000, -300.0)));

    let hours = query(&app, "&resolution=1h").await;
    assert_eq!(
        (hours["resolution"].as_str(), hours["rows_read"].as_i64()),
        (Some("1h"), Some(DAYS * 24 - 1))
    );
    assert!(values(&hours).iter().any(|p| p.1 == 500.0));

    let lttb = query(&app, "&agg=lttb").await;
    assert_eq!(lttb["resolution"], "1m");
    assert!(values(&lttb).len() <= 1_000);
}

#[tokio::test]
async fn a_late_write_changes_the_rollup_answer() {
    let app = TestApp::new().await;
    three_days(&app).await;
    let late = format!("room temp=900 {}\n", T0 / 1000 + 12_345);
    let (status, _) = app
        .request(Request::post("/write?precision=s").body(Body::from(late)).unwrap())
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let auto = query(&app, "").await;
    assert!(
        values(&auto).iter().any(|p| p.1 == 900.0),
        "a replaced point shows at once"
    );
    assert_eq!(auto["stats"]["max"], 900.0);
    assert_eq!(
        auto["stats"]["count"],
        DAYS * 86_400 - 3_600,
        "a replacement, not a new point"
    );
}

#[tokio::test]
async fn short_windows_read_raw_points_and_bad_resolutions_are_refused() {
    let app = TestApp::new().await;
    three_days(&app).await;
    let (status, body) = app
        .get(&format!(
            "/api/v1/query?series=room.temp&from={T0}&to={}&points=100",
            T0 + 59_000
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["resolution"], "raw");
    assert_eq!(body["rows_read"], 60);
    assert_eq!(body["points"].as_array().unwrap().len(), 60);
    let (status, body) = app.get("/api/v1/query?series=room.temp&resolution=5m").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_resolution");
    let (status, body) = app.get("/api/v1/query?series=room.temp&points=1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_points");
}

#[tokio::test]
async fn windows_older_than_the_raw_points_are_answered_from_the_rollups() {
    use server::store::Retention;
    use tower::ServiceExt;

    let (state, _dir) = TestApp::state(1 << 20).await;
    let day = DAY;
    // Three days, one point every 10 s; then raw points older than a day expire.
    let points = (0..3 * 8_640).map(|i| (T0 + i * 10_000, (i % 50) as f64));
    state.store.write_batch(batch("slow", points)).await.unwrap();
    let kept = Retention {
        raw_ms: Some(day),
        minute_ms: None,
        hour_ms: None,
    };
    state.store.apply_retention(kept, T0 + 3 * day).await.unwrap();

    let uri = format!(
        "/api/v1/query?series=slow&from={T0}&to={}&points=1000",
        T0 + 3 * day - 1
    );
    let res = server::router(state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        body["resolution"], "1m",
        "the raw points no longer reach back: {}",
        body["rows_read"]
    );
    assert_eq!(body["stats"]["count"], 3 * 8_640);
    let first = body["points"][0][0].as_i64().unwrap();
    assert!(first < T0 + day, "the first day still shows");
    assert!(first >= T0, "inside the window");

    // Minute buckets cut by the window's edges stay inside it.
    let from = T0 + 90_000 + 1_234;
    let uri = format!(
        "/api/v1/query?series=slow&from={from}&to={}&points=1000&resolution=1m",
        T0 + day - 5_000
    );
    let res = server::router(state)
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let bytes = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(body["resolution"], "1m");
    let points = values(&body);
    assert!(points.first().is_some_and(|p| p.0 >= from), "{:?}", &points[..2]);
    assert!(points.last().is_some_and(|p| p.0 < T0 + day - 5_000));
}

#[tokio::test]
async fn a_month_at_1hz_shows_its_one_sample_spike_and_dip_in_1000_points() {
    let (state, dir) = TestApp::state(server::config::DEFAULT_MAX_BODY_BYTES).await;
    let (spike, dip) = (1_234_567, 2_000_001);
    for day in 0..30 {
        let points = (day * 86_400..(day + 1) * 86_400)
            .map(|s| {
                let v = match s {
                    s if s == spike => 500.0,
                    s if s == dip => -300.0,
                    s => 20.0 + (s % 600) as f64 / 100.0,
                };
                (T0 + s * 1_000, v)
            })
            .collect();
        state.store.write_batch(long_batch("month.temp", points)).await.unwrap();
    }
    let app = TestApp::from_state(state, dir);
    let to = T0 + 30 * 86_400_000 - 1;
    let (status, body) = app
        .get(&format!(
            "/api/v1/query?series=month.temp&from={T0}&to={to}&points=1000"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let points = values(&body);
    assert!(points.len() <= 1_000, "{}", points.len());
    assert!(points.iter().any(|p| p.1 == 500.0), "the spike shows");
    assert!(points.iter().any(|p| p.1 == -300.0), "the dip shows");
    assert_eq!(
        (body["stats"]["max"].as_f64(), body["stats"]["min"].as_f64()),
        (Some(500.0), Some(-300.0))
    );
    assert_eq!(body["stats"]["count"], 30 * 86_400);
}

/// Consecutive points whose grid buckets are not neighbours: where the
/// answer says data is missing.
fn breaks(points: &[(i64, f64)], bucket: i64) -> Vec<(i64, i64)> {
    points
        .windows(2)
        .filter(|w| w[1].0.div_euclid(bucket) - w[0].0.div_euclid(bucket) >= 2)
        .map(|w| (w[0].0, w[1].0))
        .collect()
}

#[tokio::test]
async fn reduced_answers_name_their_grid_and_break_only_where_data_is_missing() {
    let app = TestApp::new().await;
    three_days(&app).await;
    let gap = (T0 + GAP_S.0 * 1_000, T0 + GAP_S.1 * 1_000);
    for (extra, points) in [
        ("", 1_000),
        ("", 600),
        ("", 2_600),
        ("&resolution=1h", 1_000),
        ("&agg=avg", 700),
    ] {
        let to = T0 + DAYS * 86_400_000 - 1;
        let (status, body) = app
            .get(&format!(
                "/api/v1/query?series=room.temp&from={T0}&to={to}&points={points}{extra}"
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let bucket = body["bucket"].as_i64().unwrap_or_else(|| panic!("{extra}: {body}"));
        assert_eq!(bucket % 60_000, 0, "{extra}: whole minutes");
        let found = breaks(&values(&body), bucket);
        assert_eq!(found.len(), 1, "{extra} {points}: {found:?}");
        assert!(found[0].0 < gap.0 && found[0].1 + bucket > gap.1, "{extra}: {found:?}");
    }
    let (status, short) = app
        .get(&format!(
            "/api/v1/query?series=room.temp&from={T0}&to={}&points=100",
            T0 + 59_000
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(short["bucket"], Value::Null, "stored points are not bucketed");
}

#[tokio::test]
async fn answers_from_rollups_lie_inside_the_window() {
    let app = TestApp::new().await;
    three_days(&app).await;
    // Both edges cut a minute and an hour.
    let (from, to) = (
        T0 + 86_400_000 + 37 * 60_000 + 12_345,
        T0 + 2 * 86_400_000 + 21 * 60_000 + 6_789,
    );
    for extra in [
        "",
        "&resolution=1h",
        "&agg=avg",
        "&agg=avg&resolution=1h",
        "&agg=raw&resolution=1h",
        "&agg=lttb",
    ] {
        let (status, body) = app
            .get(&format!(
                "/api/v1/query?series=room.temp&from={from}&to={to}&points=1000{extra}"
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{extra}: {body}");
        assert_ne!(body["resolution"], "raw", "{extra}");
        let points = values(&body);
        assert!(!points.is_empty(), "{extra}");
        assert!(
            points.iter().all(|p| (from..=to).contains(&p.0)),
            "{extra}: {:?} … {:?}",
            &points[..2],
            &points[points.len() - 2..]
        );
        assert!(points.windows(2).all(|w| w[0].0 <= w[1].0), "{extra}: time order");
    }
}
