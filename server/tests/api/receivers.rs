//! Notifications to real receivers from Debian's packages: Alertmanager
//! shows the alert and then its resolution; an SMTP server receives the
//! email with its subject and link.

use crate::support::daemons;
use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::{json, Value};
use server::clock::now_ms;
use std::time::Duration;
use tokio::sync::watch;

async fn app() -> (TestApp, server::AppState, watch::Sender<bool>) {
    let flags = ["--notify-retry-wait", "100ms", "--public-url", "http://sensors.test"];
    let (state, dir) = TestApp::configured(&flags).await;
    let (stop, stopped) = watch::channel(false);
    state.alerts.start_delivery(stopped);
    (TestApp::from_state(state.clone(), dir), state, stop)
}

fn hot_rule() -> Value {
    json!({
        "name": "boiler hot",
        "series": "boiler.temp",
        "direction": "above",
        "warning": 80,
        "critical": 90,
        "every": "1s",
        "labels": {"team": "heat"},
        "annotations": {"summary": "boiler at {{value}}"}
    })
}

/// The alerts Alertmanager holds for our rule, as (state, endsAt).
async fn held(port: u16) -> Vec<(String, String)> {
    let url = format!("http://127.0.0.1:{port}/api/v2/alerts");
    let Ok(res) = reqwest::get(&url).await else {
        return Vec::new();
    };
    let list: Value = serde_json::from_str(&res.text().await.unwrap_or_default()).unwrap_or(Value::Null);
    list.as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["labels"]["alertname"] == "boiler hot")
        .map(|a| {
            (
                a["status"]["state"].as_str().unwrap_or_default().to_owned(),
                a["endsAt"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn alertmanager_shows_a_firing_alert_and_then_forgets_it_when_resolved() {
    let am = daemons::alertmanager().await;
    let (app, state, _stop) = app().await;
    let body = json!({"name": "am", "kind": "alertmanager", "url": format!("http://127.0.0.1:{}", am.port)});
    let (status, made) = app.send_json("POST", "/api/v1/alerts/contact-points", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    app.send_json("POST", "/api/v1/alerts/rules", &hot_rule()).await;
    let t0 = now_ms() - 30_000;
    app.write(json!([{"series": "boiler.temp", "t": t0, "v": 95.0}])).await;
    state.alerts.run_round(t0 + 500).await.unwrap();
    let mut seen = Vec::new();
    for _ in 0..100 {
        seen = held(am.port).await;
        if !seen.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].0, "active");

    app.write(json!([{"series": "boiler.temp", "t": t0 + 1_000, "v": 20.0}]))
        .await;
    state.alerts.run_round(t0 + 1_500).await.unwrap();
    for _ in 0..100 {
        seen = held(am.port).await;
        if seen.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The delivery is logged once Alertmanager answered, which may come
    // after it already shows the change.
    let mut log = Value::Null;
    for _ in 0..100 {
        log = app.get("/api/v1/alerts/deliveries").await.1;
        if log["deliveries"].as_array().is_some_and(|d| d.len() >= 2) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(seen.is_empty(), "still held: {seen:?}; {log}");
    let events: Vec<&str> = log["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["resolved", "firing"]);
}

#[tokio::test]
async fn an_smtp_server_receives_the_email_with_its_subject_and_link() {
    let smtp = daemons::smtp_server().await;
    let (app, state, _stop) = app().await;
    let body = json!({
        "name": "on call",
        "kind": "email",
        "to": ["oncall@example.com"],
        "from": "sensorboard@example.com",
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp.port,
        "tls": "none"
    });
    let (status, made) = app.send_json("POST", "/api/v1/alerts/contact-points", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    app.send_json("POST", "/api/v1/alerts/rules", &hot_rule()).await;
    let t0 = now_ms() - 30_000;
    app.write(json!([{"series": "boiler.temp", "t": t0, "v": 85.5}])).await;
    state.alerts.run_round(t0 + 500).await.unwrap();
    let mut mails = Vec::new();
    for _ in 0..100 {
        mails = smtp.mails();
        if !mails.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(mails.len(), 1, "{mails:?}");
    // Quoted-printable: soft line breaks and `=` as `=3D`.
    let mail = mails[0].replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
    assert!(mail.contains("Subject: [FIRING:1 warning] boiler hot"), "{mail}");
    assert!(mail.contains("From: sensorboard@example.com"), "{mail}");
    assert!(mail.contains("To: oncall@example.com"), "{mail}");
    assert!(mail.contains("boiler at 85.5"), "{mail}");
    assert!(
        mail.contains("http://sensors.test/explore?series=boiler.temp&from="),
        "{mail}"
    );
}

#[tokio::test]
async fn email_goes_over_starttls_to_a_relay_whose_authority_the_contact_point_trusts() {
    let (smtp, ca) = daemons::smtp_server_starttls().await;
    let (app, _state, _stop) = app().await;
    let point = |name: &str, ca: Option<&str>| {
        json!({"name": name, "kind": "email", "to": ["oncall@example.com"], "from": "sensorboard@example.com",
               "smtp_host": "127.0.0.1", "smtp_port": smtp.port, "tls": "starttls", "smtp_ca": ca})
    };
    let (_, trusting) = app
        .send_json(
            "POST",
            "/api/v1/alerts/contact-points",
            &point("private relay", Some(&ca)),
        )
        .await;
    let (_, unaware) = app
        .send_json(
            "POST",
            "/api/v1/alerts/contact-points",
            &point("public roots only", None),
        )
        .await;
    let test = |id: &Value| format!("/api/v1/alerts/contact-points/{id}/test");
    let (_, outcome) = app.send_json("POST", &test(&trusting["id"]), &Value::Null).await;
    assert_eq!(outcome["delivered"], true, "{outcome}");
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].contains("Subject: [FIRING:1 warning] sensorboard test"),
        "{}",
        mails[0]
    );
    // Without the authority the relay's certificate is refused: the mail
    // really went over TLS.
    let (_, outcome) = app.send_json("POST", &test(&unaware["id"]), &Value::Null).await;
    assert_eq!(outcome["delivered"], false);
    assert!(
        outcome["attempts"][0]["answer"].as_str().unwrap().contains("127.0.0.1"),
        "{outcome}"
    );
    assert_eq!(smtp.mails().len(), 1);
}
