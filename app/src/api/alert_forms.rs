//! The alerts page's forms, posted as plain HTML forms (no script, so the
//! page ships no code for them): each server function does its change
//! and sends the browser back to `/alerts` saying what happened
//! (`done=`) or what was wrong (`error=`, with the rule form's fields so
//! it opens again as it was).

// A form's fields arrive as the server function's arguments, one each.
#![allow(clippy::too_many_arguments)]

use super::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::backend,
    crate::domain::{encode_query_value, parse_span, TimeSpec},
    crate::model::{
        AlertRuleDraft, ContactPointDraft, ContactTarget, ErrorBody, SilenceDraft, SmtpTls, WebhookFormat,
        RULE_FORM_FIELDS,
    },
};

/// Sends the browser back to the alerts page with `outcome`'s message,
/// and `keep` (a query string) on failure.
#[cfg(feature = "ssr")]
fn back(outcome: Result<String, ErrorBody>, keep: &str) -> Result<(), AppError> {
    let to = match outcome {
        Ok(done) => format!("/alerts?done={}", encode_query_value(&done)),
        Err(e) => format!("/alerts?error={}{keep}", encode_query_value(&e.message)),
    };
    backend()?.redirect(&to);
    Ok(())
}

/// Adds an alert rule from the page's form (every field as typed).
#[server(prefix = "/rpc", endpoint = "add_alert_rule")]
pub async fn add_alert_rule(
    name: String,
    series: String,
    select: String,
    reducer: String,
    window: String,
    direction: String,
    warning: String,
    critical: String,
    recovery: String,
    every: String,
    pending: String,
    no_data_as: String,
    summary: String,
) -> Result<(), AppError> {
    let values = [
        &name,
        &series,
        &select,
        &reducer,
        &window,
        &direction,
        &warning,
        &critical,
        &recovery,
        &every,
        &pending,
        &no_data_as,
        &summary,
    ];
    let field = |wanted: &str| {
        RULE_FORM_FIELDS
            .iter()
            .position(|f| *f == wanted)
            .map(|i| values[i].clone())
            .unwrap_or_default()
    };
    let keep: String = RULE_FORM_FIELDS
        .iter()
        .zip(values)
        .map(|(k, v)| format!("&{k}={}", encode_query_value(v)))
        .collect();
    let draft = AlertRuleDraft::from_form(&field);
    let outcome = match draft {
        Ok(draft) => backend()?
            .save_alert_rule(None, draft)
            .await
            .map(|()| format!("Rule \"{}\" saved: it is evaluated from now on.", name.trim())),
        Err(e) => Err(e),
    };
    back(outcome, &keep)
}

/// Deletes an alert rule.
#[server(prefix = "/rpc", endpoint = "remove_alert_rule")]
pub async fn remove_alert_rule(id: i64) -> Result<(), AppError> {
    let outcome = backend()?
        .delete_alert_rule(id)
        .await
        .map(|()| "Rule deleted.".to_owned());
    back(outcome, "")
}

/// Adds a silence lasting `lasting` (a span like `2h`) from now.
#[server(prefix = "/rpc", endpoint = "add_silence")]
pub async fn add_silence(
    matchers: String,
    lasting: String,
    created_by: String,
    comment: String,
) -> Result<(), AppError> {
    let outcome = match parse_span(&lasting) {
        None => Err(ErrorBody::new(
            "invalid_silence",
            format!("for: `{lasting}` is not a span like 30m, 2h or 1d"),
        )),
        Some(ms) => backend()?
            .save_silence(SilenceDraft {
                matchers,
                starts: None,
                ends: TimeSpec::FromNow(ms),
                created_by,
                comment,
                daily: None,
            })
            .await
            .map(|()| "Silence added.".to_owned()),
    };
    back(outcome, "")
}

/// Ends a silence.
#[server(prefix = "/rpc", endpoint = "end_silence")]
pub async fn end_silence(id: i64) -> Result<(), AppError> {
    let outcome = backend()?
        .delete_silence(id)
        .await
        .map(|()| "Silence ended.".to_owned());
    back(outcome, "")
}

/// Adds a contact point; `url` for a webhook, Alertmanager or Slack, the
/// rest for email (STARTTLS).
#[server(prefix = "/rpc", endpoint = "add_contact_point")]
pub async fn add_contact_point(
    name: String,
    kind: String,
    url: String,
    to: String,
    from: String,
    smtp_host: String,
    smtp_port: String,
) -> Result<(), AppError> {
    let url = url.trim().to_owned();
    let target = match kind.as_str() {
        "alertmanager" => ContactTarget::Alertmanager { url },
        "slack" => ContactTarget::Slack { url },
        "web_push" => ContactTarget::WebPush {},
        "email" => ContactTarget::Email {
            to: to
                .split(',')
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect(),
            from: from.trim().to_owned(),
            smtp_host: smtp_host.trim().to_owned(),
            smtp_port: smtp_port.trim().parse().unwrap_or(587),
            tls: SmtpTls::Starttls,
            username: None,
            password: None,
        },
        _ => ContactTarget::Webhook {
            url,
            format: WebhookFormat::Sensorboard,
        },
    };
    let outcome = backend()?
        .save_contact_point(ContactPointDraft {
            name: name.clone(),
            target,
            repeat: None,
        })
        .await
        .map(|()| format!("Contact point \"{}\" added.", name.trim()));
    back(outcome, "")
}

/// Deletes a contact point.
#[server(prefix = "/rpc", endpoint = "remove_contact_point")]
pub async fn remove_contact_point(id: i64) -> Result<(), AppError> {
    let outcome = backend()?
        .delete_contact_point(id)
        .await
        .map(|()| "Contact point deleted.".to_owned());
    back(outcome, "")
}

/// Sends a test notification to a contact point.
#[server(prefix = "/rpc", endpoint = "test_contact_point")]
pub async fn test_contact_point(id: i64) -> Result<(), AppError> {
    let outcome = match backend()?.test_contact_point(id).await {
        Ok(true) => Ok(format!("Contact point {id} took the test notification.")),
        Ok(false) => Err(ErrorBody::new(
            "not_delivered",
            format!("contact point {id} did not take the test notification: see the deliveries"),
        )),
        Err(e) => Err(e),
    };
    back(outcome, "")
}
