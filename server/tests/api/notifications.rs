//! Notifications reaching a real webhook receiver on a loopback port:
//! grouping of a rule's instances, retries after a 500, resolution,
//! Alertmanager's webhook format, "send test", the delivery log, and no
//! second notification after a restart.

use crate::support::receiver::Receiver;
use crate::support::TestApp;
use axum::http::StatusCode;
use serde_json::{json, Value};
use server::clock::now_ms;
use tokio::sync::watch;

const FLAGS: [&str; 6] = [
    "--notify-retry-wait",
    "50ms",
    "--notify-attempts",
    "3",
    "--public-url",
    "http://sensors.test",
];

async fn app() -> (TestApp, server::AppState, watch::Sender<bool>) {
    let (state, dir) = TestApp::configured(&FLAGS).await;
    let (stop, stopped) = watch::channel(false);
    state.alerts.start_delivery(stopped);
    (TestApp::from_state(state.clone(), dir), state, stop)
}

async fn contact_point(app: &TestApp, body: Value) -> i64 {
    let (status, made) = app.send_json("POST", "/api/v1/alerts/contact-points", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    made["id"].as_i64().unwrap()
}

fn fleet_rule() -> Value {
    json!({
        "name": "boiler hot",
        "select": "boiler.temp",
        "reducer": "last",
        "window": "5m",
        "direction": "above",
        "critical": 90,
        "every": "1s",
        "annotations": {"summary": "{{labels.site}} at {{value}}"}
    })
}

async fn write_sites(app: &TestApp, t: i64, north: f64, south: f64) {
    app.write(json!([
        {"series": "boiler.temp", "labels": {"site": "n"}, "t": t, "v": north},
        {"series": "boiler.temp", "labels": {"site": "s"}, "t": t, "v": south},
    ]))
    .await;
}

#[tokio::test]
async fn a_rules_instances_go_out_as_one_message_retried_after_a_500_and_resolved() {
    let (app, state, _stop) = app().await;
    let hook = Receiver::start(1).await;
    let point = contact_point(
        &app,
        json!({"name": "ops hook", "kind": "webhook", "url": format!("{}/hook", hook.url)}),
    )
    .await;
    app.send_json("POST", "/api/v1/alerts/rules", &fleet_rule()).await;
    let t0 = now_ms() - 60_000;
    write_sites(&app, t0, 50.0, 50.0).await;
    state.alerts.run_round(t0 + 500).await.unwrap();
    write_sites(&app, t0 + 1_000, 95.0, 97.0).await;
    state.alerts.run_round(t0 + 1_500).await.unwrap();

    let got = hook.wait_for(1).await;
    let (path, body) = &got[0];
    assert_eq!(path, "/hook");
    assert_eq!(body["status"], "firing");
    assert_eq!(body["title"], "[FIRING:2 critical] boiler hot");
    let alerts = body["alerts"].as_array().unwrap();
    let summaries: Vec<&str> = alerts
        .iter()
        .map(|a| a["annotations"]["summary"].as_str().unwrap())
        .collect();
    assert_eq!(summaries, ["n at 95", "s at 97"]);
    let url = alerts[0]["url"].as_str().unwrap();
    assert!(
        url.starts_with("http://sensors.test/explore?series=boiler.temp%7Bsite%3D%22n%22%7D&from="),
        "{url}"
    );

    // The first attempt met a 500; the log shows it and the retry.
    let (_, log) = app
        .get(&format!("/api/v1/alerts/deliveries?contact_point={point}"))
        .await;
    let attempts: Vec<(u64, bool)> = log["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|d| (d["attempt"].as_u64().unwrap(), d["ok"].as_bool().unwrap()))
        .collect();
    assert_eq!(attempts, [(1, false), (2, true)]);
    assert!(
        log["deliveries"][1]["answer"].as_str().unwrap().starts_with("500"),
        "{log}"
    );

    // Still firing: nothing more. Back to normal: one resolved message.
    write_sites(&app, t0 + 2_000, 96.0, 98.0).await;
    state.alerts.run_round(t0 + 2_500).await.unwrap();
    write_sites(&app, t0 + 3_000, 40.0, 41.0).await;
    state.alerts.run_round(t0 + 3_500).await.unwrap();
    let got = hook.wait_for(2).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[1].1["status"], "resolved");
    assert_eq!(got[1].1["title"], "[RESOLVED] boiler hot");
    assert_eq!(got[1].1["alerts"][0]["ends_at"], t0 + 3_500);
    // Named with the severity it fired with, as receivers keyed by labels need.
    assert_eq!(got[1].1["alerts"][0]["severity"], "critical");
}

#[tokio::test]
async fn receivers_written_for_alertmanager_get_its_webhook_format() {
    let (app, state, _stop) = app().await;
    let hook = Receiver::start(0).await;
    contact_point(
        &app,
        json!({"name": "am-style", "kind": "webhook", "format": "alertmanager", "url": format!("{}/am", hook.url)}),
    )
    .await;
    app.send_json("POST", "/api/v1/alerts/rules", &fleet_rule()).await;
    let t0 = now_ms() - 60_000;
    write_sites(&app, t0, 95.0, 50.0).await;
    state.alerts.run_round(t0 + 500).await.unwrap();
    let got = hook.wait_for(1).await;
    let body = &got[0].1;
    assert_eq!(body["version"], "4");
    assert_eq!(body["receiver"], "am-style");
    assert_eq!(body["status"], "firing");
    assert_eq!(body["externalURL"], "http://sensors.test");
    assert_eq!(body["alerts"][0]["labels"]["site"], "n");
    assert_eq!(body["alerts"][0]["labels"]["severity"], "critical");
    assert_eq!(body["alerts"][0]["endsAt"], "0001-01-01T00:00:00Z");
}

#[tokio::test]
async fn a_rule_names_its_contact_points_and_send_test_reports_the_answer() {
    let (app, state, _stop) = app().await;
    let (chosen, other) = (Receiver::start(0).await, Receiver::start(0).await);
    let chosen_id = contact_point(&app, json!({"name": "a", "kind": "webhook", "url": chosen.url})).await;
    let other_id = contact_point(
        &app,
        json!({"name": "b", "kind": "slack", "url": format!("{}/services/T0/B0/secret", other.url)}),
    )
    .await;
    let mut rule = fleet_rule();
    rule["contact_points"] = json!([chosen_id]);
    app.send_json("POST", "/api/v1/alerts/rules", &rule).await;
    let t0 = now_ms() - 60_000;
    write_sites(&app, t0, 95.0, 50.0).await;
    state.alerts.run_round(t0 + 500).await.unwrap();
    chosen.wait_for(1).await;

    // The Slack point heard nothing of the rule; its test arrives.
    let (status, outcome) = app
        .send_json(
            "POST",
            &format!("/api/v1/alerts/contact-points/{other_id}/test"),
            &Value::Null,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["delivered"], true);
    assert!(
        outcome["attempts"][0]["answer"].as_str().unwrap().starts_with("200"),
        "{outcome}"
    );
    let got = other.taken();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "/services/T0/B0/secret");
    assert!(got[0].1["text"]
        .as_str()
        .unwrap()
        .starts_with("*[FIRING:1 warning] sensorboard test*"));
    // Its secret path is not shown back.
    let (_, listed) = app.get("/api/v1/alerts/contact-points").await;
    let shown = listed["contact_points"][1]["url"].as_str().unwrap();
    assert!(shown.ends_with("/…") && !shown.contains("secret"), "{shown}");
}

#[tokio::test]
async fn a_receiver_that_never_answers_well_is_tried_and_logged_then_given_up() {
    let (app, _state, _stop) = app().await;
    let id = contact_point(
        &app,
        json!({"name": "down", "kind": "webhook", "url": "http://127.0.0.1:9/none"}),
    )
    .await;
    let (_, outcome) = app
        .send_json(
            "POST",
            &format!("/api/v1/alerts/contact-points/{id}/test"),
            &Value::Null,
        )
        .await;
    assert_eq!(outcome["delivered"], false);
    let attempts = outcome["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 3, "{outcome}");
    assert!(attempts.iter().all(|a| a["ok"] == false));
    assert!(
        attempts[0]["answer"].as_str().unwrap().contains("127.0.0.1:9"),
        "{outcome}"
    );
}

#[tokio::test]
async fn a_restart_does_not_notify_again_what_was_sent() {
    let (state, dir) = TestApp::configured(&FLAGS).await;
    let (_stop, stopped) = watch::channel(false);
    state.alerts.start_delivery(stopped.clone());
    let app = TestApp::from_state(state.clone(), dir);
    let hook = Receiver::start(0).await;
    contact_point(&app, json!({"name": "a", "kind": "webhook", "url": hook.url})).await;
    app.send_json("POST", "/api/v1/alerts/rules", &fleet_rule()).await;
    let t0 = now_ms() - 60_000;
    write_sites(&app, t0, 95.0, 50.0).await;
    state.alerts.run_round(t0 + 500).await.unwrap();
    hook.wait_for(1).await;

    let again = server::alerts::Alerts::new(
        state.store.clone(),
        state.queries.clone(),
        "http://sensors.test",
        server::alerts::Retries::default(),
    );
    again.start_delivery(stopped);
    write_sites(&app, t0 + 1_000, 96.0, 50.0).await;
    again.run_round(t0 + 1_500).await.unwrap();
    // Nor does its first refresh repeat what was sent before it started.
    again.refresh(now_ms()).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(hook.taken().len(), 1);
}

#[tokio::test]
async fn a_silenced_alert_changes_state_but_is_told_only_after_the_silence() {
    let (app, state, _stop) = app().await;
    let hook = Receiver::start(0).await;
    contact_point(&app, json!({"name": "a", "kind": "webhook", "url": hook.url})).await;
    app.send_json("POST", "/api/v1/alerts/rules", &fleet_rule()).await;
    let silence = json!({
        "matchers": "{site=\"n\"}",
        // The rounds below run a minute in the past.
        "starts": "now-2m",
        "ends": "now+1h",
        "created_by": "ana",
        "comment": "boiler north serviced"
    });
    let (status, made) = app.send_json("POST", "/api/v1/alerts/silences", &silence).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let silence_id = made["id"].as_i64().unwrap();
    let t0 = now_ms() - 60_000;
    write_sites(&app, t0, 95.0, 50.0).await;
    state.alerts.run_round(t0 + 500).await.unwrap();
    let (_, firing) = app.get("/api/v1/alerts/instances?state=firing").await;
    assert_eq!(firing["instances"][0]["labels"]["site"], "n");
    assert_eq!(firing["instances"][0]["silenced_by"], silence_id);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(hook.taken().is_empty(), "{:?}", hook.taken());

    let uri = format!("/api/v1/alerts/silences/{silence_id}");
    assert_eq!(
        app.send_json("DELETE", &uri, &Value::Null).await.0,
        StatusCode::NO_CONTENT
    );
    write_sites(&app, t0 + 1_000, 95.0, 50.0).await;
    state.alerts.run_round(t0 + 1_500).await.unwrap();
    let got = hook.wait_for(1).await;
    assert_eq!(got[0].1["alerts"][0]["labels"]["site"], "n");

    let (status, body) = app
        .send_json(
            "POST",
            "/api/v1/alerts/silences",
            &json!({"matchers": "{site=~\"(\"}", "ends": "now+1h", "created_by": "a", "comment": "b"}),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_silence"))
    );
}

/// What a browser does with a push body: RFC 8291 with its own key.
fn open_push(body: &[u8], secret: &p256::SecretKey, auth: &[u8]) -> Value {
    use aes_gcm::aead::{Aead, KeyInit};
    let (salt, id_len) = (&body[..16], body[20] as usize);
    let server_key = &body[21..21 + id_len];
    let server = p256::PublicKey::from_sec1_bytes(server_key).unwrap();
    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), server.as_affine());
    let mine = secret.public_key().to_sec1_bytes();
    let (cek, nonce) = server::alerts::web_push::content_keys(shared.raw_secret_bytes(), auth, &mine, server_key, salt);
    let mut plain = aes_gcm::Aes128Gcm::new_from_slice(&cek)
        .unwrap()
        .decrypt(aes_gcm::Nonce::from_slice(&nonce), &body[21 + id_len..])
        .unwrap();
    assert_eq!(plain.pop(), Some(2));
    serde_json::from_slice(&plain).unwrap()
}

#[tokio::test]
async fn web_push_reaches_a_subscribed_browser_encrypted_for_it_and_signed_by_the_server() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use base64::Engine;
    use p256::ecdsa::signature::Verifier;
    let (app, state, _stop) = app().await;
    let push_service = Receiver::start(0).await;
    let (_, key) = app.get("/api/v1/alerts/push/key").await;
    let server_key = key["public_key"].as_str().unwrap().to_owned();
    assert_eq!(B64.decode(&server_key).unwrap().len(), 65);

    // A browser: its key pair and auth secret, as PushManager makes them.
    let secret = p256::SecretKey::from_slice(&[42u8; 32]).unwrap();
    let auth = [9u8; 16];
    let endpoint = format!("{}/push/browser-1", push_service.url);
    let subscription = json!({"endpoint": endpoint, "keys": {
        "p256dh": B64.encode(secret.public_key().to_sec1_bytes()), "auth": B64.encode(auth)}});
    let (status, body) = app
        .send_json("POST", "/api/v1/alerts/push/subscriptions", &subscription)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = app
        .send_json(
            "POST",
            "/api/v1/alerts/push/subscriptions",
            &json!({"endpoint": "http://example.com/x", "keys": {"p256dh": "a", "auth": "b"}}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "plain http to another host is refused");

    contact_point(&app, json!({"name": "phones", "kind": "web_push"})).await;
    app.send_json("POST", "/api/v1/alerts/rules", &fleet_rule()).await;
    let t0 = now_ms() - 60_000;
    write_sites(&app, t0, 95.0, 50.0).await;
    state.alerts.run_round(t0 + 500).await.unwrap();
    for _ in 0..200 {
        if !push_service.raw().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (path, headers, body) = push_service.raw().remove(0);
    assert_eq!(path, "/push/browser-1");
    assert_eq!(headers["content-encoding"], "aes128gcm");
    assert!(headers.contains_key("ttl"));
    let message = open_push(&body, &secret, &auth);
    assert_eq!(message["title"], "[FIRING:1 critical] boiler hot");
    assert_eq!(message["body"], "n at 95");
    assert!(
        message["url"]
            .as_str()
            .unwrap()
            .starts_with("http://sensors.test/explore?series="),
        "{message}"
    );

    // The VAPID token: for the push service's origin, signed by the key
    // the browser subscribed with.
    let authorization = headers["authorization"].to_str().unwrap();
    let (jwt, k) = authorization
        .strip_prefix("vapid t=")
        .unwrap()
        .split_once(", k=")
        .unwrap();
    assert_eq!(k, server_key);
    let (signed, signature) = jwt.rsplit_once('.').unwrap();
    let claims: Value = serde_json::from_slice(&B64.decode(signed.split('.').nth(1).unwrap()).unwrap()).unwrap();
    assert_eq!(claims["aud"], push_service.url);
    let public = p256::PublicKey::from_sec1_bytes(&B64.decode(&server_key).unwrap()).unwrap();
    let signature = p256::ecdsa::Signature::from_slice(&B64.decode(signature).unwrap()).unwrap();
    p256::ecdsa::VerifyingKey::from(&public)
        .verify(signed.as_bytes(), &signature)
        .expect("a valid ES256 signature");

    // Unsubscribed: the next notice finds no browser, and says so.
    let (status, _) = app
        .send_json(
            "DELETE",
            "/api/v1/alerts/push/subscriptions",
            &json!({"endpoint": endpoint}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, points) = app.get("/api/v1/alerts/contact-points").await;
    let id = points["contact_points"][0]["id"].as_i64().unwrap();
    let (_, outcome) = app
        .send_json(
            "POST",
            &format!("/api/v1/alerts/contact-points/{id}/test"),
            &Value::Null,
        )
        .await;
    assert_eq!(outcome["delivered"], false);
    assert!(
        outcome["attempts"][0]["answer"]
            .as_str()
            .unwrap()
            .contains("no browser has subscribed"),
        "{outcome}"
    );
}

#[tokio::test]
async fn firing_alerts_are_repeated_after_the_interval_and_re_posted_to_alertmanager_each_refresh() {
    let (app, state, _stop) = app().await;
    let (hook, am) = (Receiver::start(0).await, Receiver::start(0).await);
    contact_point(
        &app,
        json!({"name": "hook", "kind": "webhook", "url": hook.url, "repeat": "1m"}),
    )
    .await;
    contact_point(&app, json!({"name": "am", "kind": "alertmanager", "url": am.url})).await;
    app.send_json("POST", "/api/v1/alerts/rules", &fleet_rule()).await;
    let t0 = now_ms() - 30_000;
    write_sites(&app, t0, 95.0, 50.0).await;
    state.alerts.run_round(t0 + 500).await.unwrap();
    hook.wait_for(1).await;
    am.wait_for(1).await;
    assert_eq!(am.taken()[0].0, "/api/v2/alerts");

    // Half a minute later: Alertmanager hears of it again, the webhook not yet.
    state.alerts.refresh(t0 + 30_500).await;
    am.wait_for(2).await;
    // A minute after it was sent: the webhook gets a repeat.
    state.alerts.refresh(t0 + 60_600).await;
    let got = hook.wait_for(2).await;
    assert_eq!(got[1].1["event"], "repeat");
    assert_eq!(got[1].1["alerts"][0]["labels"]["site"], "n");
    am.wait_for(3).await;
    // And not again right after.
    state.alerts.refresh(t0 + 61_000).await;
    am.wait_for(4).await;
    assert_eq!(hook.taken().len(), 2);
    assert!(am.taken().iter().all(|(_, body)| body[0]["labels"]["site"] == "n"));
}
