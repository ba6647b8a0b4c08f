use super::*;

fn panel(title: &str, series: &[&str]) -> PanelSpec {
    PanelSpec {
        title: title.into(),
        kind: PanelKind::Chart,
        series: series.iter().map(|s| s.to_string()).collect(),
        unit: None,
        thresholds: Thresholds::default(),
        width: None,
        height: None,
        axis: Default::default(),
        transform: None,
        mappings: Vec::new(),
        colors: Vec::new(),
        stack: false,
        right_axis: Vec::new(),
        selection: None,
    }
}

fn draft(panels: Vec<PanelSpec>) -> DashboardDraft {
    DashboardDraft {
        title: "  Boiler room ".into(),
        panels,
        variables: Vec::new(),
    }
}

#[test]
fn a_valid_draft_comes_back_trimmed() {
    let mut p = panel(" Temps ", &["boiler.temp", "boiler.return"]);
    p.unit = Some("  ".into());
    let ok = draft(vec![p]).validated().unwrap();
    assert_eq!(ok.title, "Boiler room");
    assert_eq!(ok.panels[0].title, "Temps");
    assert_eq!(ok.panels[0].unit, None, "a blank unit means the series' own");
}

#[test]
fn errors_name_the_panel_and_the_reason() {
    let err = |d: DashboardDraft| d.validated().unwrap_err();
    assert_eq!(
        err(DashboardDraft {
            title: " ".into(),
            panels: vec![],
            variables: Vec::new(),
        })
        .message,
        "dashboard title is empty"
    );
    let e = err(draft(vec![panel("a", &["x"]), panel("b", &[])]));
    assert_eq!(e.error, "invalid_dashboard");
    assert!(e.message.starts_with("panel 2:"), "{}", e.message);
    let e = err(draft(vec![panel("a", &["x", " "])]));
    assert_eq!(e.message, "panel 1: series 2 has an empty key");
    let nine: Vec<&str> = vec!["s"; MAX_PANEL_SERIES + 1];
    assert!(err(draft(vec![panel("a", &nine)])).message.contains("1 to 8 series"));
    let many = (0..=MAX_PANELS).map(|_| panel("p", &["s"])).collect();
    assert!(err(draft(many)).message.contains("at most 32 panels"));
    let mut p = panel("a", &["x"]);
    p.thresholds.warn = Some(f64::NAN);
    assert!(err(draft(vec![p])).message.contains("finite"));
    assert!(err(draft(vec![panel(&"é".repeat(201), &["x"])]))
        .message
        .contains("longer than 200"));
    let long_key = "k".repeat(MAX_SERIES_KEY_BYTES + 1);
    assert_eq!(
        err(draft(vec![panel("a", &["x", &long_key])])).message,
        "panel 1: the key of series 2 is longer than 8192 bytes"
    );
}

#[test]
fn levels_follow_the_thresholds() {
    let t = Thresholds {
        warn: Some(70.0),
        crit: Some(90.0),
    };
    assert_eq!(t.level(None), PanelLevel::Ok);
    assert_eq!(t.level(Some(69.9)), PanelLevel::Ok);
    assert_eq!(t.level(Some(70.0)), PanelLevel::Warn);
    assert_eq!(t.level(Some(90.0)), PanelLevel::Crit);
    assert_eq!(Thresholds::default().level(Some(1e9)), PanelLevel::Ok);
    let crit_only = Thresholds {
        warn: None,
        crit: Some(5.0),
    };
    assert_eq!(crit_only.level(Some(6.0)), PanelLevel::Crit);
}

#[test]
fn json_omits_what_is_unset_and_accepts_it_missing() {
    let json = serde_json::to_value(panel("T", &["a"])).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"title": "T", "series": ["a"], "thresholds": {}})
    );
    let d: DashboardDraft = serde_json::from_str(r#"{"title":"x"}"#).unwrap();
    assert!(d.panels.is_empty());
    let p: PanelSpec = serde_json::from_str(r#"{"title":"t","series":["a"],"thresholds":{"crit":3}}"#).unwrap();
    assert_eq!(p.thresholds.crit, Some(3.0));
}

#[test]
fn layout_stays_on_the_grid_and_in_sensible_heights() {
    let mut p = panel("p", &["a"]);
    p.width = Some(12);
    p.height = Some(120);
    assert!(draft(vec![p.clone()]).validated().is_ok());
    for (width, height, wanted) in [
        (Some(0), None, "width"),
        (Some(13), None, "width"),
        (None, Some(119), "height"),
        (None, Some(1201), "height"),
    ] {
        let mut bad = p.clone();
        bad.width = width;
        bad.height = height;
        let e = draft(vec![bad]).validated().unwrap_err();
        assert!(e.message.contains(wanted), "{}", e.message);
    }
}

#[test]
fn axis_bounds_are_ordered_finite_and_above_zero_on_a_log_scale() {
    let with_axis = |min: Option<f64>, max: Option<f64>, log: bool| {
        let mut p = panel("p", &["a"]);
        p.axis = ValueAxis { min, max, log };
        draft(vec![p]).validated()
    };
    assert!(with_axis(Some(0.0), Some(100.0), false).is_ok());
    assert!(with_axis(Some(1.0), None, true).is_ok());
    assert!(with_axis(None, None, true).is_ok(), "the data's bounds");
    let message = |r: Result<DashboardDraft, ErrorBody>| r.unwrap_err().message;
    assert!(message(with_axis(Some(5.0), Some(5.0), false)).contains("not below"));
    assert!(message(with_axis(Some(f64::INFINITY), None, false)).contains("finite"));
    assert!(message(with_axis(Some(0.0), Some(10.0), true)).contains("above zero"));
}
