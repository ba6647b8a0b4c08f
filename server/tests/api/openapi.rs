//! `GET /api/openapi.json` lists every REST route, and every route it
//! lists is one the router answers.

use crate::support::TestApp;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::Value;
use std::collections::BTreeSet;

/// The REST surface (PRODUCT.md §3) as `METHOD path`.
const ENDPOINTS: &[&str] = &[
    "DELETE /api/v1/alerts/contact-points/{id}",
    "DELETE /api/v1/alerts/rules/{id}",
    "DELETE /api/v1/alerts/silences/{id}",
    "GET /api/v1/alerts/silences",
    "GET /api/v1/alerts/push/key",
    "POST /api/v1/alerts/push/subscriptions",
    "DELETE /api/v1/alerts/push/subscriptions",
    "POST /api/v1/alerts/silences",
    "PUT /api/v1/alerts/silences/{id}",
    "GET /api/v1/alerts/contact-points",
    "GET /api/v1/alerts/deliveries",
    "POST /api/v1/alerts/contact-points",
    "POST /api/v1/alerts/contact-points/{id}/test",
    "PUT /api/v1/alerts/contact-points/{id}",
    "GET /api/v1/alerts/history",
    "GET /api/v1/alerts/instances",
    "GET /api/v1/alerts/rules",
    "GET /api/v1/alerts/rules/{id}",
    "POST /api/v1/alerts/rules",
    "PUT /api/v1/alerts/rules/{id}",
    "DELETE /api/v1/annotations/{id}",
    "DELETE /api/v1/dashboards/{id}",
    "DELETE /api/v1/session",
    "DELETE /api/v1/tokens/{id}",
    "GET /api/openapi.json",
    "GET /api/v1/dashboards",
    "GET /api/v1/annotations",
    "GET /api/v1/dashboards/{id}",
    "GET /api/v1/dashboards/{id}/export",
    "GET /api/v1/query",
    "GET /api/v1/series",
    "GET /api/v1/labels",
    "GET /api/v1/labels/{name}/values",
    "GET /api/v1/series/{key}/export",
    "GET /api/v1/tokens",
    "GET /health",
    "GET /metrics",
    "GET /ready",
    "GET /ping",
    "HEAD /ping",
    "POST /api/telemetry",
    "POST /api/v1/annotations",
    "POST /api/v1/dashboards",
    "POST /api/v1/query/batch",
    "POST /api/v1/session",
    "POST /api/v1/tokens",
    "POST /api/v1/write",
    "POST /api/v2/write",
    "POST /write",
    "PUT /api/v1/annotations/{id}",
    "PUT /api/v1/dashboards/{id}",
];

#[tokio::test]
async fn the_document_lists_every_endpoint_and_the_router_answers_each() {
    let app = TestApp::new().await;
    let (status, doc) = app.get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{}", doc["openapi"]);
    let listed: BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    let expected: BTreeSet<String> = ENDPOINTS.iter().map(|e| e.to_string()).collect();
    assert_eq!(listed, expected);

    for endpoint in ENDPOINTS {
        let (method, path) = endpoint.split_once(' ').unwrap();
        let uri = path.replace("{key}", "no.such.series").replace("{id}", "999");
        let req = Request::builder()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(&uri)
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = app.send(req).await;
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{endpoint}");
        if status == StatusCode::NOT_FOUND {
            let body: Value = serde_json::from_str(&body).unwrap_or_default();
            let code = body["error"].as_str().unwrap_or_default();
            assert!(
                [
                    "series_not_found",
                    "dashboard_not_found",
                    "token_not_found",
                    "annotation_not_found",
                    "rule_not_found",
                    "contact_point_not_found",
                    "silence_not_found",
                    "subscription_not_found"
                ]
                .contains(&code),
                "{endpoint} is routed"
            );
        }
    }
}

#[tokio::test]
async fn the_document_describes_bodies_and_answers() {
    let app = TestApp::new().await;
    let (_, doc) = app.get("/api/openapi.json").await;
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "QueryResult",
        "QueryRequest",
        "ErrorBody",
        "SeriesInfo",
        "NativeBatch",
        "WriteSummary",
        "Dashboard",
        "DashboardDraft",
        "CreatedToken",
        "Line",
        "PanelSelection",
        "LabelValues",
        "LabelNames",
    ] {
        assert!(schemas.contains_key(name), "schema {name}");
    }
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    for r in refs {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(schemas.contains_key(name), "{r} points at no schema");
    }
    let query = &doc["paths"]["/api/v1/query"]["get"];
    let params: Vec<&str> = query["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in ["series", "from", "to", "points", "agg", "resolution"] {
        assert!(params.contains(&name), "{name} in {params:?}");
    }
    assert!(query["responses"]["304"].is_object());
    let scheme = &doc["components"]["securitySchemes"]["token"];
    assert_eq!(scheme["scheme"], "bearer", "{scheme}");
    assert_eq!(
        doc["paths"]["/write"]["post"]["security"][0]["token"],
        serde_json::json!([])
    );
    let read = &doc["paths"]["/api/v1/query"]["get"]["security"];
    assert_eq!(
        read,
        &serde_json::json!([{}, {"token": []}]),
        "reads: a token when --read-access token"
    );
    assert!(
        doc["paths"]["/health"]["get"]["security"].is_null(),
        "health is always open"
    );
    let agg = &schemas["Agg"]["enum"];
    assert_eq!(agg, &serde_json::json!(["auto", "raw", "lttb", "minmax", "avg"]));
}

/// Every `$ref` in `value`.
fn collect_refs(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v.as_str()) {
                    ("$ref", Some(r)) => out.push(r.to_owned()),
                    _ => collect_refs(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}
