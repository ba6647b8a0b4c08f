use super::*;

fn firing(severity: Severity) -> AlertState {
    AlertState::Firing { since: 1, severity }
}

#[test]
fn marks_follow_firing_severity_up_and_resolution() {
    let ok = NoDataAs::Alerting;
    assert_eq!(
        wanted(&firing(Severity::Warning), ok, None),
        Some((Some(Event::Firing), "firing:warning".into()))
    );
    assert_eq!(wanted(&firing(Severity::Warning), ok, Some("firing:warning")), None);
    // Up: told; down: the mark moves quietly.
    assert_eq!(
        wanted(&firing(Severity::Critical), ok, Some("firing:warning")),
        Some((Some(Event::Firing), "firing:critical".into()))
    );
    assert_eq!(
        wanted(&firing(Severity::Warning), ok, Some("firing:critical")),
        Some((None, "firing:warning".into()))
    );
    let normal = AlertState::Normal { since: 2 };
    assert_eq!(
        wanted(&normal, ok, Some("firing:critical")),
        Some((Some(Event::Resolved), "resolved".into()))
    );
    assert_eq!(wanted(&normal, ok, Some("resolved")), None);
    assert_eq!(wanted(&normal, ok, None), None);
    // Firing again after a resolution.
    assert_eq!(
        wanted(&firing(Severity::Critical), ok, Some("resolved")),
        Some((Some(Event::Firing), "firing:critical".into()))
    );
}

#[test]
fn no_data_notifies_as_the_rule_says() {
    let silent = AlertState::NoData {
        since: 5,
        before: Box::new(AlertState::Normal { since: 1 }),
    };
    assert_eq!(
        wanted(&silent, NoDataAs::Alerting, None),
        Some((Some(Event::Firing), "firing:critical".into()))
    );
    assert_eq!(wanted(&silent, NoDataAs::Ok, None), None);
    assert_eq!(wanted(&silent, NoDataAs::KeepLast, None), None);
}

#[test]
fn templates_fill_in_value_severity_and_labels() {
    let labels: Labels = [("site".to_owned(), "north".to_owned())].into();
    let text = "{{labels.site}} boiler at {{ value }} ({{severity}}, {{state}}); {{unknown}} {{labels.none}}| {{open";
    assert_eq!(
        fill_in(text, &labels, Some(93.25), Some(Severity::Critical), "firing"),
        "north boiler at 93.25 (critical, firing); {{unknown}} | {{open"
    );
    assert_eq!(fill_in("{{value}}", &labels, None, None, "no_data"), "no value");
    assert_eq!(format_value(2.0), "2");
    assert_eq!(format_value(-0.00001), "0");
    assert_eq!(format_value(1.23456), "1.2346");
}

#[test]
fn titles_count_firing_alerts_and_name_the_worst_severity() {
    let alert = |firing: bool, severity| NoticeAlert {
        labels: Labels::new(),
        annotations: Labels::new(),
        firing,
        state: if firing { "firing" } else { "normal" },
        severity,
        value: None,
        starts: 0,
        ends: None,
        url: String::new(),
    };
    let mut notice = Notice {
        rule: 1,
        rule_name: "boiler hot".into(),
        event: Event::Firing,
        contact_points: Vec::new(),
        alerts: vec![
            alert(true, Some(Severity::Warning)),
            alert(true, Some(Severity::Critical)),
            alert(false, None),
        ],
        at: 0,
    };
    assert_eq!(notice.title(), "[FIRING:2 critical] boiler hot");
    notice.alerts.truncate(0);
    notice.alerts.push(alert(false, None));
    assert_eq!(notice.title(), "[RESOLVED] boiler hot");
}

#[test]
fn links_open_the_series_around_the_alert() {
    let labels: Labels = [(SERIES_LABEL.to_owned(), "boiler.temp{site=n}".to_owned())].into();
    assert_eq!(
        link("http://h:3000/", &labels, None, 7_200_000, None),
        "http://h:3000/explore?series=boiler.temp%7Bsite%3Dn%7D&from=3600000&to=10800000"
    );
    assert_eq!(
        link(
            "http://h",
            &Labels::new(),
            Some("boiler.temp"),
            7_200_000,
            Some(9_000_000)
        ),
        "http://h/explore?select=boiler.temp&from=3600000&to=12600000"
    );
}
