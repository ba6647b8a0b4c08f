//! `/api/v1/annotations`: notes at an instant or over a range, listed by
//! the window they overlap, on one dashboard or on all.

use crate::support::{TestApp, T0};
use axum::http::StatusCode;
use serde_json::{json, Value};

async fn dashboard(app: &TestApp, title: &str) -> i64 {
    let d = json!({"title": title, "panels": [{"title": "t", "series": ["room.temp"]}]});
    let (status, body) = app.send_json("POST", "/api/v1/dashboards", &d).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

fn texts(body: &Value) -> Vec<&str> {
    body["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["text"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn notes_are_listed_by_the_window_they_overlap_and_their_dashboard() {
    let app = TestApp::new().await;
    let (boiler, pumps) = (dashboard(&app, "Boiler").await, dashboard(&app, "Pumps").await);
    let notes = [
        json!({"dashboard": boiler, "time": T0 + 60_000, "text": " serviced ", "tags": ["maintenance", " "]}),
        json!({"dashboard": boiler, "time": "2026-11-23T10:30:00Z", "end": "2026-11-23T11:30:00Z", "text": "valve test"}),
        json!({"dashboard": pumps, "time": T0 + 120_000, "text": "pump swapped"}),
        json!({"time": T0 + 7_200_000, "text": "firmware 2.1 everywhere"}),
    ];
    for note in notes {
        let (status, body) = app.send_json("POST", "/api/v1/annotations", &note).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, body) = app
        .get(&format!(
            "/api/v1/annotations?dashboard={boiler}&from={T0}&to={}",
            T0 + 86_400_000
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(texts(&body), ["serviced", "valve test", "firmware 2.1 everywhere"]);
    let first = &body["annotations"][0];
    assert_eq!(
        (first["time"].as_i64(), first["end"].as_i64()),
        (Some(T0 + 60_000), Some(T0 + 60_000))
    );
    assert_eq!(first["tags"], json!(["maintenance"]));
    let range = &body["annotations"][1];
    assert_eq!(
        range["end"].as_i64().unwrap() - range["time"].as_i64().unwrap(),
        3_600_000
    );

    // A window inside the range still finds it; one after it does not.
    let (_, body) = app
        .get(&format!(
            "/api/v1/annotations?dashboard={boiler}&from={}&to={}",
            T0 + 3_000_000,
            T0 + 3_100_000
        ))
        .await;
    assert_eq!(texts(&body), ["valve test"]);
    let (_, body) = app
        .get(&format!("/api/v1/annotations?from={T0}&to={}", T0 + 86_400_000))
        .await;
    assert_eq!(texts(&body).len(), 4, "without a dashboard: every note");
}

#[tokio::test]
async fn a_note_changes_and_goes_and_its_dashboard_takes_its_notes_along() {
    let app = TestApp::new().await;
    let id = dashboard(&app, "Boiler").await;
    let (_, made) = app
        .send_json(
            "POST",
            "/api/v1/annotations",
            &json!({"dashboard": id, "time": T0, "text": "a"}),
        )
        .await;
    let note = made["id"].as_i64().unwrap();
    let (status, changed) = app
        .send_json(
            "PUT",
            &format!("/api/v1/annotations/{note}"),
            &json!({"dashboard": id, "time": T0, "end": T0 + 5_000, "text": "b"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        (changed["text"].as_str(), changed["end"].as_i64()),
        (Some("b"), Some(T0 + 5_000))
    );
    let (status, _) = app
        .send_json("DELETE", &format!("/api/v1/annotations/{note}"), &Value::Null)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app
        .send_json("DELETE", &format!("/api/v1/annotations/{note}"), &Value::Null)
        .await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::NOT_FOUND, &json!("annotation_not_found"))
    );

    app.send_json(
        "POST",
        "/api/v1/annotations",
        &json!({"dashboard": id, "time": T0, "text": "kept?"}),
    )
    .await;
    let (status, _) = app
        .send_json("DELETE", &format!("/api/v1/dashboards/{id}"), &Value::Null)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, body) = app.get(&format!("/api/v1/annotations?from={T0}&to={}", T0 + 1)).await;
    assert_eq!(texts(&body), Vec::<&str>::new());
}

#[tokio::test]
async fn note_mistakes_are_named_and_change_nothing() {
    let app = TestApp::new().await;
    let id = dashboard(&app, "Boiler").await;
    let cases = [
        (json!({"time": T0, "text": "  "}), "invalid_annotation", "empty"),
        (
            json!({"time": T0, "end": T0 - 1, "text": "x"}),
            "invalid_annotation",
            "before",
        ),
        (json!({"time": "yesterday", "text": "x"}), "invalid_json", "yesterday"),
        (
            json!({"dashboard": id + 10, "time": T0, "text": "x"}),
            "invalid_annotation",
            "no dashboard",
        ),
        (
            json!({"time": T0, "text": "x".repeat(1_001)}),
            "invalid_annotation",
            "longer",
        ),
        (json!({"text": "x"}), "invalid_json", "time"),
    ];
    for (note, code, said) in cases {
        let (status, body) = app.send_json("POST", "/api/v1/annotations", &note.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{note}");
        assert_eq!(body["error"], code, "{body}");
        assert!(body["message"].as_str().unwrap().contains(said), "{body}");
    }
    let (status, body) = app
        .send_json("PUT", "/api/v1/annotations/77", &json!({"time": T0, "text": "x"}))
        .await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::NOT_FOUND, &json!("annotation_not_found"))
    );
    for query in ["from=later", "from=now&to=now-1h", "dashboard=boiler"] {
        let (status, body) = app.get(&format!("/api/v1/annotations?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
    }
    let (_, body) = app.get("/api/v1/annotations?from=0&to=now").await;
    assert_eq!(texts(&body), Vec::<&str>::new(), "nothing was stored");
}
