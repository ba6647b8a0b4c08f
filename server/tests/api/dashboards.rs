//! `/api/v1/dashboards`: the default made from the series, and a
//! create / read / replace / delete round trip with its errors.

use crate::support::{TestApp, T0};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn no_series_means_no_default_dashboard() {
    let app = TestApp::new().await;
    let (status, body) = app.get("/api/v1/dashboards").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"dashboards": []}));
}

#[tokio::test]
async fn the_first_list_makes_a_default_from_the_series_once() {
    let app = TestApp::new().await;
    app.write(json!([
        {"series": "room.temp", "t": T0, "v": 20.5},
        {"series": "cpu.idle", "labels": {"cpu": "1"}, "t": T0, "v": 90},
        {"series": "cpu.idle", "labels": {"cpu": "0"}, "t": T0, "v": 80},
    ]))
    .await;
    let (status, body) = app.get("/api/v1/dashboards").await;
    assert_eq!(status, StatusCode::OK);
    let list = body["dashboards"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["title"], "Overview");
    assert_eq!(
        list[0]["panels"],
        json!([
            {"title": "cpu.idle", "series": ["cpu.idle{cpu=\"0\"}", "cpu.idle{cpu=\"1\"}"], "thresholds": {}},
            {"title": "room.temp", "series": ["room.temp"], "thresholds": {}},
        ])
    );
    let (_, again) = app.get("/api/v1/dashboards").await;
    assert_eq!(again, body, "listed twice, made once");
}

#[tokio::test]
async fn create_read_replace_delete() {
    let app = TestApp::new().await;
    let draft = json!({"title": " Boiler ", "panels": [
        {"title": "Flow", "series": ["boiler.flow", "boiler.return"], "unit": "°C", "thresholds": {"warn": 70, "crit": 90}}
    ]});
    let (status, created) = app.send_json("POST", "/api/v1/dashboards", &draft).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["title"], "Boiler");
    assert_eq!(created["panels"][0]["thresholds"], json!({"warn": 70.0, "crit": 90.0}));
    let id = created["id"].as_i64().unwrap();
    let uri = format!("/api/v1/dashboards/{id}");

    let (status, read) = app.get(&uri).await;
    assert_eq!((status, &read), (StatusCode::OK, &created));

    let renamed = json!({"title": "Boiler room", "panels": []});
    let (status, replaced) = app.send_json("PUT", &uri, &renamed).await;
    assert_eq!(status, StatusCode::OK, "{replaced}");
    assert_eq!((replaced["id"].as_i64(), &replaced["panels"]), (Some(id), &json!([])));
    let (_, list) = app.get("/api/v1/dashboards").await;
    assert_eq!(list["dashboards"][0]["title"], "Boiler room");

    let delete = |uri: String| Request::delete(uri).body(Body::empty()).unwrap();
    let (status, _) = app.request(delete(uri.clone())).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.get(&uri).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("dashboard_not_found"))
    );
    let (status, _) = app.request(delete(uri.clone())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_dashboards_get_a_json_400_and_change_nothing() {
    let app = TestApp::new().await;
    let cases = [
        (
            json!({"title": "", "panels": []}),
            "invalid_dashboard",
            "dashboard title is empty",
        ),
        (
            json!({"title": "x", "panels": [{"title": "p", "series": []}]}),
            "invalid_dashboard",
            "panel 1:",
        ),
        (
            json!({"title": "x", "panels": [{"title": "p", "series": ["a"], "thresholds": {"warn": "hot"}}]}),
            "invalid_json",
            "dashboard body",
        ),
        (json!({"panels": []}), "invalid_json", "title"),
    ];
    for (body, code, message) in cases {
        let (status, err) = app.send_json("POST", "/api/v1/dashboards", &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(err["error"], code, "{body}");
        assert!(err["message"].as_str().unwrap().contains(message), "{err}");
    }
    let (status, err) = app
        .send_json("PUT", "/api/v1/dashboards/1", &json!({"title": "x"}))
        .await;
    assert_eq!(
        (status, err["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("dashboard_not_found"))
    );
    let (status, err) = app.get("/api/v1/dashboards/..%2Fetc").await;
    assert_eq!(
        (status, err["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_id"))
    );
    let (_, list) = app.get("/api/v1/dashboards").await;
    assert_eq!(list, json!({"dashboards": []}));
}

#[tokio::test]
async fn a_panel_keeps_its_kind_size_and_axis_and_bad_ones_are_refused() {
    let app = TestApp::new().await;
    let panel = json!({"title": "Tank", "series": ["tank.level"], "kind": "stat", "width": 4, "height": 480,
        "axis": {"min": 1, "max": 1000, "log": true}});
    let (status, created) = app
        .send_json(
            "POST",
            "/api/v1/dashboards",
            &json!({"title": "Kinds", "panels": [panel]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (_, read) = app.get(&format!("/api/v1/dashboards/{}", created["id"])).await;
    assert_eq!(
        read["panels"][0],
        json!({"title": "Tank", "series": ["tank.level"], "thresholds": {}, "kind": "stat", "width": 4,
            "height": 480, "axis": {"min": 1.0, "max": 1000.0, "log": true}})
    );

    let plain = json!({"title": "Plain", "panels": [{"title": "p", "series": ["a"]}]});
    let (_, made) = app.send_json("POST", "/api/v1/dashboards", &plain).await;
    let stored = made["panels"][0].as_object().unwrap();
    for absent in ["kind", "width", "height", "axis"] {
        assert!(!stored.contains_key(absent), "defaults stay out of the JSON: {made}");
    }

    let bad = [
        (json!({"width": 13}), "invalid_dashboard", "width"),
        (json!({"height": 50}), "invalid_dashboard", "height"),
        (json!({"axis": {"min": 10, "max": 1}}), "invalid_dashboard", "not below"),
        (
            json!({"axis": {"min": 0, "log": true}}),
            "invalid_dashboard",
            "above zero",
        ),
        (json!({"kind": "gauge3d"}), "invalid_json", "dashboard body"),
    ];
    for (extra, code, message) in bad {
        let mut p = json!({"title": "p", "series": ["a"]});
        p.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let (status, err) = app
            .send_json("POST", "/api/v1/dashboards", &json!({"title": "x", "panels": [p]}))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{extra}");
        assert_eq!(err["error"], code, "{extra}: {err}");
        assert!(err["message"].as_str().unwrap().contains(message), "{err}");
    }
}

#[tokio::test]
async fn variables_are_stored_with_the_dashboard_and_checked() {
    let app = TestApp::new().await;
    let variables = json!([{"name": "device", "label": "device", "select": "fleet.f3{site=\"s2\"}", "default": "d01"}]);
    let draft = json!({"title": "Fleet", "variables": variables,
        "panels": [{"title": "$device", "series": ["fleet.f3{device=\"$device\"}"]}]});
    let (status, created) = app.send_json("POST", "/api/v1/dashboards", &draft).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (_, read) = app.get(&format!("/api/v1/dashboards/{}", created["id"])).await;
    assert_eq!(read["variables"], variables);

    let bad = [
        (json!([{"name": "1st", "label": "x"}]), "must be a letter"),
        (
            json!([{"name": "a", "label": "x"}, {"name": "a", "label": "y"}]),
            "is taken",
        ),
        (json!([{"name": "a", "label": " "}]), "label is empty"),
        (json!([{"name": "a", "label": "x", "select": "{"}]), "selector"),
    ];
    for (variables, message) in bad {
        let body = json!({"title": "x", "variables": variables, "panels": []});
        let (status, err) = app.send_json("POST", "/api/v1/dashboards", &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{variables}");
        assert_eq!(err["error"], "invalid_dashboard");
        assert!(err["message"].as_str().unwrap().contains(message), "{err}");
    }
}

#[tokio::test]
async fn an_export_is_a_file_that_makes_the_dashboard_again() {
    let app = TestApp::new().await;
    let draft = json!({"title": "Plant / line 2", "variables": [{"name": "device", "label": "device"}], "panels": [
        {"title": "Flow of $device", "kind": "stat", "series": ["flow{device=\"$device\"}"], "width": 6,
         "transform": "moving_avg:5m", "axis": {"min": 0}, "thresholds": {"warn": 7}}
    ]});
    let (status, created) = app.send_json("POST", "/api/v1/dashboards", &draft).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    let req = Request::get(format!("/api/v1/dashboards/{id}/export"))
        .body(Body::empty())
        .unwrap();
    let (status, headers, text) = app.send(req).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"plant-line-2.json\""
    );
    let file: Value = serde_json::from_str(&text).unwrap();
    assert!(file.get("id").is_none() && file.get("updated").is_none(), "{file}");
    assert_eq!(file["panels"], created["panels"]);
    assert_eq!(file["variables"], created["variables"]);

    let (status, again) = app.send_json("POST", "/api/v1/dashboards", &file).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_ne!(again["id"], created["id"]);
    assert_eq!(
        (&again["title"], &again["panels"]),
        (&created["title"], &created["panels"])
    );
    let (status, from_get) = app.send_json("POST", "/api/v1/dashboards", &created).await;
    assert_eq!(status, StatusCode::CREATED, "a GET answer imports too: {from_get}");

    let (status, body) = app.get("/api/v1/dashboards/999/export").await;
    assert_eq!(
        (status, &body["error"]),
        (StatusCode::NOT_FOUND, &json!("dashboard_not_found"))
    );
}

#[tokio::test]
async fn gauges_timelines_mappings_and_colours_are_kept_and_checked() {
    let app = TestApp::new().await;
    let panel = json!({"title": "Pump", "kind": "timeline", "series": ["pump.on"],
        "mappings": [{"value": 0, "text": "off"}, {"value": 1, "text": "on", "color": "#16a34a"}],
        "colors": ["#2563eb", ""]});
    let gauge = json!({"title": "Tank", "kind": "gauge", "series": ["tank.fill"], "axis": {"max": 100}});
    let stacked = json!({"title": "Circuits", "series": ["a", "b"], "stack": true, "right_axis": [1]});
    let (status, created) = app
        .send_json(
            "POST",
            "/api/v1/dashboards",
            &json!({"title": "Looks", "panels": [panel, gauge, stacked]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["panels"][0]["mappings"][1]["color"], "#16a34a");
    assert_eq!(created["panels"][0]["colors"], json!(["#2563eb", ""]));
    assert_eq!(created["panels"][1]["kind"], "gauge");
    assert_eq!(created["panels"][2]["stack"], true);
    assert_eq!(created["panels"][2]["right_axis"], json!([1]));
    assert!(created["panels"][1].get("stack").is_none(), "false is left out");
    let bad = [
        (json!({"mappings": [{"value": 1, "text": ""}]}), "1 to 32 characters"),
        (
            json!({"mappings": [{"value": 1, "text": "a"}, {"value": 1, "text": "b"}]}),
            "mapped twice",
        ),
        (
            json!({"mappings": [{"value": 1, "text": "a", "color": "green"}]}),
            "not a colour",
        ),
        (json!({"colors": ["#12345"]}), "not a colour"),
        (json!({"right_axis": [1000]}), "right_axis names line 1000"),
    ];
    for (extra, message) in bad {
        let mut p = json!({"title": "p", "series": ["a"]});
        p.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let (status, err) = app
            .send_json("POST", "/api/v1/dashboards", &json!({"title": "x", "panels": [p]}))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{extra}");
        assert_eq!(err["error"], "invalid_dashboard", "{err}");
        assert!(err["message"].as_str().unwrap().contains(message), "{err}");
    }
}
