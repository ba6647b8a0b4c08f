use super::*;
use crate::alerts::notice::Event;
use app::domain::Severity;

fn notice() -> Notice {
    let labels = |site: &str| -> Labels {
        [
            ("alertname".to_owned(), "boiler hot".to_owned()),
            ("site".to_owned(), site.to_owned()),
        ]
        .into()
    };
    Notice {
        rule: 3,
        rule_name: "boiler hot".into(),
        event: Event::Firing,
        contact_points: Vec::new(),
        alerts: vec![
            NoticeAlert {
                labels: labels("n"),
                annotations: [("summary".to_owned(), "north at 93".to_owned())].into(),
                firing: true,
                state: "firing",
                severity: Some(Severity::Critical),
                value: Some(93.0),
                starts: 1_800_000_000_000,
                ends: None,
                url: "http://h/explore?series=a".into(),
            },
            NoticeAlert {
                labels: labels("s"),
                annotations: [("summary".to_owned(), "south at 60".to_owned())].into(),
                firing: false,
                state: "normal",
                severity: None,
                value: Some(60.0),
                starts: 1_799_999_000_000,
                ends: Some(1_800_000_000_000),
                url: "http://h/explore?series=b".into(),
            },
        ],
        at: 1_800_000_001_000,
    }
}

#[test]
fn the_webhook_document_carries_each_alert_with_its_link() {
    let body = sensorboard(&notice());
    assert_eq!(body["status"], "firing");
    assert_eq!(body["title"], "[FIRING:1 critical] boiler hot");
    assert_eq!(body["rule"], json!({"id": 3, "name": "boiler hot"}));
    assert_eq!(body["alerts"][0]["severity"], "critical");
    assert_eq!(body["alerts"][0]["url"], "http://h/explore?series=a");
    assert_eq!(body["alerts"][1]["status"], "resolved");
    assert_eq!(body["alerts"][1]["ends_at"], 1_800_000_000_000i64);
}

#[test]
fn the_alertmanager_webhook_format_is_version_4_with_common_labels() {
    let body = alertmanager_webhook(&notice(), "ops", "http://h");
    assert_eq!(body["version"], "4");
    assert_eq!(body["receiver"], "ops");
    assert_eq!(body["groupLabels"], json!({"alertname": "boiler hot"}));
    assert_eq!(body["commonLabels"], json!({"alertname": "boiler hot"}));
    assert_eq!(body["alerts"][0]["labels"]["severity"], "critical");
    assert_eq!(body["alerts"][0]["startsAt"], "2027-01-15T08:00:00Z");
    assert_eq!(body["alerts"][0]["endsAt"], "0001-01-01T00:00:00Z");
    assert_eq!(body["alerts"][1]["endsAt"], "2027-01-15T08:00:00Z");
    assert_eq!(body["alerts"][0]["fingerprint"].as_str().unwrap().len(), 16);
}

#[test]
fn alertmanager_holds_firing_alerts_a_while_and_ends_resolved_ones() {
    let n = notice();
    let body = alertmanager_alerts(&n.alerts, 1_800_000_000_000);
    assert_eq!(body[0]["endsAt"], "2027-01-15T08:05:00Z");
    assert_eq!(body[1]["endsAt"], "2027-01-15T08:00:00Z");
    assert_eq!(body[1]["labels"]["site"], "s");
}

#[test]
fn slack_and_email_texts_name_each_alert_with_its_summary_and_link() {
    let text = slack(&notice())["text"].as_str().unwrap().to_owned();
    assert!(text.starts_with("*[FIRING:1 critical] boiler hot*\n"), "{text}");
    assert!(
        text.contains("- firing critical: north at 93 (value 93) <http://h/explore?series=a|chart>"),
        "{text}"
    );
    let (subject, body) = email(&notice());
    assert_eq!(subject, "[FIRING:1 critical] boiler hot");
    assert!(
        body.contains("- resolved: south at 60 (value 60) http://h/explore?series=b"),
        "{body}"
    );
}
