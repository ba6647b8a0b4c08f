//! The alerting half of the UI's backend: the alerts page's overview and
//! its changes (checked and applied as the REST handlers do), and the
//! alerts' firing periods as notes for a dashboard's charts.

use super::alert_html;
use super::backend::body;
use crate::alerts::{Alerts, ALERT_NAME, SERIES_LABEL};
use crate::error::ApiError;
use crate::query::QueryService;
use crate::store::{CompiledSelector, Store};
use app::domain::TimeSpec;
use app::domain::{alert_periods, NAME_LABEL};
use app::model::QueryRequest;
use app::model::{
    AlertOverview, AlertRuleDraft, Annotation, ContactPointDraft, ErrorBody, SilenceDraft, ALERT_FIRING_TAG,
};

/// How far back the state history is read for periods still open.
const LOOKBACK_MS: i64 = 7 * 86_400_000;
/// Deliveries the overview lists.
const DELIVERIES_SHOWN: usize = 50;

/// The alerts page's lists and forms for the page's query string `query`
/// (its filters, and the rule form's fields when given).
pub async fn overview(
    store: &Store,
    alerts: &Alerts,
    queries: &QueryService,
    query: &str,
) -> Result<AlertOverview, ErrorBody> {
    let params: Vec<(String, String)> = form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .into_owned()
        .collect();
    let given = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let (state, severity) = (
        given("state").unwrap_or_default(),
        given("severity").unwrap_or_default(),
    );
    let now = crate::clock::now_ms();
    let mut deliveries = store.deliveries(None, now - 86_400_000, now).await.map_err(body)?;
    deliveries.truncate(DELIVERIES_SHOWN);
    let mut html = String::new();
    if let Some(done) = given("done").filter(|d| !d.is_empty()) {
        html += &format!("<p class=\"banner\" role=\"status\">{}</p>", alert_html::escape(&done));
    }
    if let Some(error) = given("error").filter(|e| !e.is_empty()) {
        html += &format!(
            "<p class=\"banner banner-error\" role=\"alert\">{}</p>",
            alert_html::escape(&error)
        );
    }
    let section = |id: &str, title: &str, body: String| {
        format!("<section aria-labelledby=\"{id}\"><h2 id=\"{id}\">{title}</h2>{body}</section>")
    };
    html += &section(
        "instances-title",
        "Alert instances",
        alert_html::filters(&state, &severity) + &alert_html::instances(alerts.instances(), &state, &severity),
    );
    let preview = match given("preview") {
        Some(_) => preview(queries, &|name| given(name).unwrap_or_default(), now).await,
        None => String::new(),
    };
    html += &section(
        "rules-title",
        "Rules",
        alert_html::rules(&store.alert_rules().await.map_err(body)?) + &alert_html::rule_form(&given) + &preview,
    );
    html += &section(
        "silences-title",
        "Silences",
        alert_html::silences(&store.silences(now).await.map_err(body)?) + &alert_html::silence_form(),
    );
    html += &section(
        "contacts-title",
        "Contact points",
        alert_html::contacts(&store.contact_points().await.map_err(body)?, &deliveries) + &alert_html::contact_form(),
    );
    Ok(AlertOverview { html })
}

/// How far back a preview replays a rule.
const PREVIEW_HOURS: i64 = 6;

/// The rule the form's fields make, replayed over the last hours of its
/// series and drawn; or why it cannot be.
async fn preview(queries: &QueryService, field: &(dyn Fn(&str) -> String + Sync), now: i64) -> String {
    let rule = match AlertRuleDraft::from_form(field).and_then(AlertRuleDraft::checked) {
        Ok(rule) => rule,
        Err(e) => return alert_html::preview_note(&format!("No preview: {}", e.message)),
    };
    if rule.draft.select.is_some() {
        return alert_html::preview_note("The preview draws one series: name it in Series.");
    }
    let from = now - PREVIEW_HOURS * 3_600_000;
    let asked = QueryRequest {
        series: rule.draft.series.clone(),
        from: TimeSpec::At(from),
        to: TimeSpec::At(now),
        points: 900,
        ..QueryRequest::default()
    };
    let answer = match queries.run(asked).await {
        Ok(served) => served.answer,
        Err(e) => return alert_html::preview_note(&format!("No preview: {e}")),
    };
    let r = &answer.result;
    let fired = crate::alerts::preview::replay(&rule, &r.points, from, now);
    let svg = crate::alerts::preview::draw(&rule, &r.points, r.unit.as_deref(), from, now, &fired);
    alert_html::preview_figure(
        &svg,
        &format!("{} over the last {PREVIEW_HOURS} hours", rule.draft.series),
        &crate::alerts::preview::summary(&fired, PREVIEW_HOURS),
    )
}

pub async fn save_rule(
    store: &Store,
    alerts: &Alerts,
    id: Option<i64>,
    draft: AlertRuleDraft,
) -> Result<(), ErrorBody> {
    let draft = draft.checked()?.draft;
    let saved = match id {
        None => store.create_alert_rule(draft).await.map(Some),
        Some(id) => store.replace_alert_rule(id, draft).await,
    }
    .map_err(body)?;
    alerts.rules_changed();
    saved
        .map(|_| ())
        .ok_or_else(|| body(ApiError::not_found("rule_not_found", "there is no such alert rule")))
}

pub async fn delete_rule(store: &Store, alerts: &Alerts, id: i64) -> Result<(), ErrorBody> {
    let gone = store.delete_alert_rule(id).await.map_err(body)?;
    alerts.rules_changed();
    gone.then_some(()).ok_or_else(|| {
        body(ApiError::not_found(
            "rule_not_found",
            format!("there is no alert rule {id}"),
        ))
    })
}

pub async fn save_silence(store: &Store, alerts: &Alerts, draft: SilenceDraft) -> Result<(), ErrorBody> {
    let checked = draft.checked(crate::clock::now_ms())?;
    CompiledSelector::from_text(&checked.matchers)
        .map_err(|e| body(ApiError::bad_request("invalid_silence", format!("matchers: {e}"))))?;
    store.create_silence(checked).await.map_err(body)?;
    alerts.silences_changed();
    Ok(())
}

pub async fn delete_silence(store: &Store, alerts: &Alerts, id: i64) -> Result<(), ErrorBody> {
    let gone = store.delete_silence(id).await.map_err(body)?;
    alerts.silences_changed();
    gone.then_some(()).ok_or_else(|| {
        body(ApiError::not_found(
            "silence_not_found",
            format!("there is no silence {id}"),
        ))
    })
}

pub async fn save_contact_point(store: &Store, draft: ContactPointDraft) -> Result<(), ErrorBody> {
    let (draft, _) = draft.checked()?;
    store.create_contact_point(draft).await.map_err(body)?;
    Ok(())
}

pub async fn delete_contact_point(store: &Store, id: i64) -> Result<(), ErrorBody> {
    let gone = store.delete_contact_point(id).await.map_err(body)?;
    gone.then_some(()).ok_or_else(|| {
        body(ApiError::not_found(
            "contact_point_not_found",
            format!("there is no contact point {id}"),
        ))
    })
}

pub async fn test_contact_point(store: &Store, alerts: &Alerts, id: i64) -> Result<bool, ErrorBody> {
    let point = store.contact_point(id).await.map_err(body)?.ok_or_else(|| {
        body(ApiError::not_found(
            "contact_point_not_found",
            format!("there is no contact point {id}"),
        ))
    })?;
    Ok(alerts.send_test(&point).await)
}

/// The alerts' firing periods overlapping `[from, to]` as notes of
/// `dashboard`: each names its instance's series (or its rule's
/// selector), so only the panels showing it draw it, and only those on
/// this dashboard's panels are listed; one still firing ends at `to` and
/// carries the `firing` tag. Periods of deleted rules, and open ones whose
/// instance no longer fires (its rule changed), are left out.
pub async fn firing_notes(
    store: &Store,
    alerts: &Alerts,
    dashboard: i64,
    from: i64,
    to: i64,
) -> Result<Vec<Annotation>, ErrorBody> {
    let history = store.alert_history(None, from - LOOKBACK_MS, to).await.map_err(body)?;
    if history.is_empty() {
        return Ok(Vec::new());
    }
    let Some(board) = store.dashboard(dashboard).await.map_err(body)? else {
        return Ok(Vec::new());
    };
    // The panels' series and selectors; a selection's members are known to
    // the browser only, which filters again by what each panel answered.
    let shown: Vec<&str> = board
        .panels
        .iter()
        .flat_map(|p| {
            p.series
                .iter()
                .map(String::as_str)
                .chain(p.selection.iter().map(|s| s.select.as_str()))
        })
        .collect();
    let selecting = board.panels.iter().any(|p| p.selection.is_some());
    let firing: Vec<(i64, app::model::Labels)> = alerts
        .instances()
        .into_iter()
        .filter(|i| matches!(i.state.name(), "firing" | "recovering"))
        .map(|i| (i.rule, i.labels))
        .collect();
    let rules = store.alert_rules().await.map_err(body)?;
    let periods = alert_periods(&history, from, to).into_iter().filter(|p| {
        rules.iter().any(|r| r.id == p.rule)
            && (p.end.is_some()
                || firing
                    .iter()
                    .any(|(rule, labels)| *rule == p.rule && *labels == p.labels))
    });
    let notes = periods
        .enumerate()
        .map(|(i, p)| {
            let rule = rules.iter().find(|r| r.id == p.rule);
            let series = match (p.labels.get(SERIES_LABEL), rule) {
                (Some(s), _) => vec![s.clone()],
                (None, Some(r)) => r.rule.select.clone().into_iter().collect(),
                (None, None) => Vec::new(),
            };
            let name = rule.map_or_else(|| format!("rule {}", p.rule), |r| r.rule.name.clone());
            let which: Vec<String> = p
                .labels
                .iter()
                .filter(|(k, _)| ![ALERT_NAME, SERIES_LABEL, NAME_LABEL].contains(&k.as_str()))
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let word = p.severity.as_str();
            let mut text = format!("Alert {name}: {word}");
            if !which.is_empty() {
                text.push_str(&format!(" ({})", which.join(", ")));
            }
            let mut tags = vec!["alert".to_owned(), word.to_owned()];
            if p.end.is_none() {
                tags.push(ALERT_FIRING_TAG.to_owned());
            }
            Annotation {
                id: -(i as i64) - 1,
                dashboard: Some(dashboard),
                time: p.start,
                end: p.end.unwrap_or(to).max(p.start),
                text,
                tags,
                updated: p.start,
                series,
                alert: Some(p.severity),
            }
        })
        .filter(|a: &Annotation| selecting || a.series.iter().any(|s| shown.contains(&s.as_str())))
        .collect();
    Ok(notes)
}
