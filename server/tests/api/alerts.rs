//! Alert rules over the REST API, evaluated by rounds the test runs at
//! chosen times: instances, their states and the state history.

use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::{json, Value};
use server::clock::now_ms;

fn hot_rule() -> Value {
    json!({
        "name": "boiler hot",
        "series": "boiler.temp",
        "reducer": "last",
        "window": "5m",
        "direction": "above",
        "warning": 80,
        "critical": 90,
        "recovery": 70,
        "every": "1s",
        "no_data_after": "1m",
        "labels": {"team": "heat"},
        "annotations": {"summary": "boiler at {{value}}"}
    })
}

async fn app() -> (TestApp, server::AppState) {
    let (state, dir) = TestApp::configured(&[]).await;
    (TestApp::from_state(state.clone(), dir), state)
}

#[tokio::test]
async fn rules_are_stored_listed_replaced_and_deleted() {
    let (app, _) = app().await;
    let (status, made) = app.send_json("POST", "/api/v1/alerts/rules", &hot_rule()).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let id = made["id"].as_i64().unwrap();
    assert_eq!(made["name"], "boiler hot");
    assert_eq!(made["annotations"]["summary"], "boiler at {{value}}");
    let (_, list) = app.get("/api/v1/alerts/rules").await;
    assert_eq!(list["rules"].as_array().unwrap().len(), 1);

    let mut changed = hot_rule();
    changed["critical"] = json!(95);
    let (status, replaced) = app
        .send_json("PUT", &format!("/api/v1/alerts/rules/{id}"), &changed)
        .await;
    assert_eq!(status, StatusCode::OK, "{replaced}");
    assert_eq!(replaced["critical"], 95.0);
    let (_, got) = app.get(&format!("/api/v1/alerts/rules/{id}")).await;
    assert_eq!(got["critical"], 95.0);

    let (status, _) = app
        .send_json("DELETE", &format!("/api/v1/alerts/rules/{id}"), &Value::Null)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.get(&format!("/api/v1/alerts/rules/{id}")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("rule_not_found"))
    );
}

#[tokio::test]
async fn a_wrong_rule_is_refused_with_what_is_wrong() {
    let (app, _) = app().await;
    let mut rule = hot_rule();
    rule["warning"] = json!(95);
    let (status, body) = app.send_json("POST", "/api/v1/alerts/rules", &rule).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_rule");
    assert!(
        body["message"].as_str().unwrap().contains("warning threshold 95"),
        "{body}"
    );
    let (status, body) = app
        .send_json("POST", "/api/v1/alerts/rules", &json!({"name": "x"}))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_json"))
    );
    let (_, list) = app.get("/api/v1/alerts/rules").await;
    assert_eq!(list["rules"], json!([]));
}

#[tokio::test]
async fn changing_rules_needs_the_admin_scope() {
    let (app, _) = app().await;
    let (status, made) = app
        .post(
            "/api/v1/tokens",
            json!({"name": "pump", "scopes": ["read", "write"]}).to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let writer = made["token"].as_str().unwrap();
    let as_writer = |method: &str, uri: &str| {
        axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {writer}"))
            .body(axum::body::Body::from(hot_rule().to_string()))
            .unwrap()
    };
    let (status, body) = app.request(as_writer("POST", "/api/v1/alerts/rules")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // Seeing them needs only read.
    let (status, _) = app.request(as_writer("GET", "/api/v1/alerts/rules")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.request(as_writer("GET", "/api/v1/alerts/instances")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_value_crossing_the_thresholds_fires_recovers_and_is_kept_in_the_history() {
    let (app, state) = app().await;
    let (_, made) = app.send_json("POST", "/api/v1/alerts/rules", &hot_rule()).await;
    let id = made["id"].as_i64().unwrap();
    let t0 = now_ms() - 60_000;
    app.write(json!([{"series": "boiler.temp", "t": t0, "v": 60.0}])).await;
    let report = state.alerts.run_round(t0 + 1_000).await.unwrap();
    assert_eq!((report.rules, report.transitions), (1, 0));

    app.write(json!([{"series": "boiler.temp", "t": t0 + 1_500, "v": 93.0}]))
        .await;
    state.alerts.run_round(t0 + 2_000).await.unwrap();
    let (_, listed) = app.get("/api/v1/alerts/instances?state=firing").await;
    let instance = &listed["instances"][0];
    assert_eq!(instance["rule"], id);
    assert_eq!(instance["rule_name"], "boiler hot");
    assert_eq!(instance["state"]["state"], "firing");
    assert_eq!(instance["state"]["severity"], "critical");
    assert_eq!(instance["severity"], "critical");
    assert_eq!(instance["value"], 93.0);
    assert_eq!(
        instance["labels"],
        json!({"alertname": "boiler hot", "series": "boiler.temp", "team": "heat"})
    );

    // Down to the warning band; then below warning but above recovery:
    // still firing; then below recovery: normal.
    for (i, v) in [85.0, 75.0, 65.0].into_iter().enumerate() {
        let t = t0 + 2_500 + 1_000 * i as i64;
        app.write(json!([{"series": "boiler.temp", "t": t, "v": v}])).await;
        state.alerts.run_round(t + 500).await.unwrap();
    }
    let (_, listed) = app.get(&format!("/api/v1/alerts/instances?rule={id}")).await;
    assert_eq!(listed["instances"][0]["state"]["state"], "normal");

    let (_, history) = app
        .get(&format!("/api/v1/alerts/history?rule={id}&from={}&to=now", t0))
        .await;
    let steps: Vec<(String, String, Option<&str>, f64)> = history["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["previous"].as_str().unwrap().to_owned(),
                t["state"].as_str().unwrap().to_owned(),
                t["severity"].as_str(),
                t["value"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("normal".into(), "firing".into(), Some("critical"), 93.0),
            // Down to the warning band: the severity changed.
            ("firing".into(), "firing".into(), Some("warning"), 85.0),
            ("firing".into(), "normal".into(), None, 65.0),
        ]
    );
    assert_eq!(history["transitions"][0]["time"], t0 + 2_000);
}

#[tokio::test]
async fn a_silent_series_goes_no_data_and_a_missing_one_need_not_page() {
    let (app, state) = app().await;
    let mut quiet = hot_rule();
    quiet["name"] = json!("missing is fine");
    quiet["series"] = json!("never.written");
    quiet["no_data_as"] = json!("ok");
    app.send_json("POST", "/api/v1/alerts/rules", &quiet).await;
    app.send_json("POST", "/api/v1/alerts/rules", &hot_rule()).await;
    let t0 = now_ms() - 600_000;
    app.write(json!([{"series": "boiler.temp", "t": t0, "v": 60.0}])).await;
    state.alerts.run_round(t0 + 1_000).await.unwrap();
    // A minute and more without a point.
    state.alerts.run_round(t0 + 61_000).await.unwrap();
    let (_, listed) = app.get("/api/v1/alerts/instances?state=no_data").await;
    let by_rule: Vec<(&str, Option<&str>)> = listed["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["rule_name"].as_str().unwrap(), i["severity"].as_str()))
        .collect();
    assert_eq!(by_rule, [("missing is fine", None), ("boiler hot", Some("critical"))]);
    let (_, critical) = app.get("/api/v1/alerts/instances?severity=critical").await;
    assert_eq!(critical["instances"].as_array().unwrap().len(), 1);
    let (status, body) = app.get("/api/v1/alerts/instances?state=burning").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_state"))
    );
}

#[tokio::test]
async fn a_restarted_server_carries_on_from_the_stored_states() {
    let (state, dir) = TestApp::configured(&[]).await;
    let app = TestApp::from_state(state.clone(), dir);
    app.send_json("POST", "/api/v1/alerts/rules", &hot_rule()).await;
    let t0 = now_ms() - 60_000;
    app.write(json!([{"series": "boiler.temp", "t": t0, "v": 99.0}])).await;
    state.alerts.run_round(t0 + 1_000).await.unwrap();

    // A new scheduler over the same store: what a restart builds.
    let again = server::alerts::Alerts::new(
        state.store.clone(),
        state.queries.clone(),
        "http://localhost",
        server::alerts::Retries::default(),
    );
    let report = again.run_round(t0 + 2_000).await.unwrap();
    assert_eq!((report.rules, report.transitions), (1, 0));
    let instances = again.instances();
    assert_eq!(instances[0].state.name(), "firing");
    assert_eq!(instances[0].state.since(), t0 + 1_000);
}

/// A plain form post from the alerts page, as a browser sends it.
fn form_post(uri: &str, body: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::post(uri)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .body(axum::body::Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn the_pages_forms_change_alerting_and_come_back_saying_what_happened() {
    let (app, _) = app().await;
    let fields = "name=boiler+hot&series=boiler.temp&select=&reducer=avg&window=5m&direction=above\
                  &warning=80&critical=90&recovery=&every=15s&pending=&no_data_as=ok&summary=at+%7B%7Bvalue%7D%7D\
                  &labels=team%3Dheat&keep_firing=1m";
    let (status, headers, _) = app.send(form_post("/rpc/add_alert_rule", fields)).await;
    assert_eq!(status, StatusCode::FOUND);
    let to = headers["location"].to_str().unwrap();
    assert!(to.starts_with("/alerts?done=Rule%20%22boiler%20hot%22%20saved"), "{to}");
    let (_, list) = app.get("/api/v1/alerts/rules").await;
    assert_eq!(list["rules"][0]["reducer"], "avg");
    assert_eq!(list["rules"][0]["no_data_as"], "ok");
    assert_eq!(list["rules"][0]["annotations"]["summary"], "at {{value}}");
    assert_eq!(list["rules"][0]["labels"], json!({"team": "heat"}));
    assert_eq!(list["rules"][0]["keep_firing"], "1m");

    // Refused: back with the message and the fields as they were sent.
    let wrong = fields.replace("warning=80", "warning=95");
    let (status, headers, _) = app.send(form_post("/rpc/add_alert_rule", &wrong)).await;
    assert_eq!(status, StatusCode::FOUND);
    let to = headers["location"].to_str().unwrap();
    assert!(to.starts_with("/alerts?error=the%20warning%20threshold%2095"), "{to}");
    assert!(to.contains("&warning=95&") && to.contains("&critical=90&"), "{to}");
    let (_, list) = app.get("/api/v1/alerts/rules").await;
    assert_eq!(list["rules"].as_array().unwrap().len(), 1);

    let (status, _, _) = app
        .send(form_post(
            "/rpc/add_silence",
            "matchers=%7Bsite%3D%22n%22%7D&lasting=30d&created_by=ana&comment=backup&daily_from=02%3A00&daily_to=04%3A00&daily_days=sat%2C+sun",
        ))
        .await;
    assert_eq!(status, StatusCode::FOUND);
    let (_, silences) = app.get("/api/v1/alerts/silences").await;
    assert_eq!(silences["silences"][0]["created_by"], "ana");
    assert_eq!(
        silences["silences"][0]["daily"],
        json!({"from": "02:00", "to": "04:00", "days": ["sat", "sun"]})
    );

    // Without the admin scope, nothing changes.
    let (status, _, _) = app
        .send_anonymous(form_post(
            "/rpc/remove_alert_rule",
            &format!("id={}", list["rules"][0]["id"]),
        ))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, list) = app.get("/api/v1/alerts/rules").await;
    assert_eq!(list["rules"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_rule_form_previews_where_a_rule_would_have_fired() {
    let (app, _) = app().await;
    let now = now_ms();
    let points: Vec<Value> = (0..120)
        .map(|i| json!({"series": "boiler.temp", "t": now - (120 - i) * 60_000, "v": if (40..50).contains(&i) { 95.0 } else { 60.0 }}))
        .collect();
    app.write(Value::Array(points)).await;
    let page = |query: &str| {
        let body = format!(
            "query={}",
            form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
        );
        axum::http::Request::post("/rpc/alerts")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let (status, text) = app
        // Before its first point the series had no data: counted as OK here.
        .request(page(
            "preview=1&name=hot&series=boiler.temp&warning=80&critical=90&window=1m&every=15s&no_data_as=ok",
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let html = serde_json::from_str::<Value>(&text).unwrap()["html"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        html.contains("<details class=\"rule-form\" open>"),
        "the form stays open"
    );
    assert!(html.contains("src=\"data:image/svg+xml;base64,"), "a drawing");
    let caption = html.split("<figcaption>").nth(1).unwrap_or_default();
    assert!(
        caption.starts_with("Would have fired 1 time in the last 6 hours (at worst critical)."),
        "{caption}"
    );
    let (_, text) = app
        .request(page("preview=1&name=hot&series=boiler.temp&warning=95&critical=90"))
        .await;
    assert!(text.contains("No preview: the warning threshold 95"), "no reason given");
}

#[tokio::test]
async fn a_band_rule_fires_outside_its_edges_and_strict_rules_spare_the_threshold() {
    let (app, state) = app().await;
    let band = json!({"name": "humidity band", "series": "room.humidity", "direction": "outside",
        "warning_low": 30, "warning": 60, "critical_low": 20, "critical": 70, "every": "1s"});
    let (status, made) = app.send_json("POST", "/api/v1/alerts/rules", &band).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let strict = json!({"name": "strict", "series": "room.humidity", "direction": "above", "strict": true,
        "warning": 25, "every": "1s"});
    app.send_json("POST", "/api/v1/alerts/rules", &strict).await;
    let t0 = now_ms() - 60_000;
    app.write(json!([{"series": "room.humidity", "t": t0, "v": 25.0}]))
        .await;
    state.alerts.run_round(t0 + 500).await.unwrap();
    let (_, listed) = app.get("/api/v1/alerts/instances").await;
    let states: Vec<(&str, &str, Option<&str>)> = listed["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["rule_name"].as_str().unwrap(),
                i["state"]["state"].as_str().unwrap(),
                i["severity"].as_str(),
            )
        })
        .collect();
    // 25 is below the warning band's low edge; exactly the strict rule's threshold.
    assert_eq!(
        states,
        [("humidity band", "firing", Some("warning")), ("strict", "normal", None)]
    );

    let mut half = band.clone();
    half["critical_low"] = Value::Null;
    let (status, body) = app.send_json("POST", "/api/v1/alerts/rules", &half).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["message"].as_str().unwrap().contains("a band needs both edges"),
        "{body}"
    );
}
