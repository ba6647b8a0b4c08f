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
        AlertRuleDraft, ContactPointDraft, ContactTarget, DailyWindow, ErrorBody, SilenceDraft, SmtpTls, WebhookFormat,
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
    #[server(default)] name: String,
    #[server(default)] series: String,
    #[server(default)] select: String,
    #[server(default)] aggregate: String,
    #[server(default)] by: String,
    #[server(default)] reducer: String,
    #[server(default)] window: String,
    #[server(default)] direction: String,
    #[server(default)] strict: String,
    #[server(default)] warning_low: String,
    #[server(default)] warning: String,
    #[server(default)] critical_low: String,
    #[server(default)] critical: String,
    #[server(default)] recovery: String,
    #[server(default)] keep_firing: String,
    #[server(default)] every: String,
    #[server(default)] pending: String,
    #[server(default)] no_data_after: String,
    #[server(default)] no_data_as: String,
    #[server(default)] labels: String,
    #[server(default)] summary: String,
    #[server(default)] contact_points: String,
) -> Result<(), AppError> {
    // In the order of RULE_FORM_FIELDS.
    let values = [
        &name,
        &series,
        &select,
        &aggregate,
        &by,
        &reducer,
        &window,
        &direction,
        &strict,
        &warning_low,
        &warning,
        &critical_low,
        &critical,
        &recovery,
        &keep_firing,
        &every,
        &pending,
        &no_data_after,
        &no_data_as,
        &labels,
        &summary,
        &contact_points,
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

/// Adds a silence lasting `lasting` (a span like `2h`) from now, only in
/// the daily UTC window `daily_from`–`daily_to` on `daily_days` when
/// those are given.
#[server(prefix = "/rpc", endpoint = "add_silence")]
pub async fn add_silence(
    matchers: String,
    lasting: String,
    created_by: String,
    comment: String,
    #[server(default)] daily_from: String,
    #[server(default)] daily_to: String,
    #[server(default)] daily_days: String,
) -> Result<(), AppError> {
    let daily = (!daily_from.trim().is_empty() || !daily_to.trim().is_empty()).then(|| DailyWindow {
        from: daily_from.trim().to_owned(),
        to: daily_to.trim().to_owned(),
        days: daily_days
            .split(',')
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty())
            .collect(),
    });
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
                daily,
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
/// rest for email.
#[server(prefix = "/rpc", endpoint = "add_contact_point")]
pub async fn add_contact_point(
    name: String,
    kind: String,
    url: String,
    #[server(default)] repeat: String,
    #[server(default)] to: String,
    #[server(default)] from: String,
    #[server(default)] smtp_host: String,
    #[server(default)] smtp_port: String,
    #[server(default)] smtp_tls: String,
    #[server(default)] smtp_user: String,
    #[server(default)] smtp_password: String,
) -> Result<(), AppError> {
    let url = url.trim().to_owned();
    let given = |t: &str| Some(t.trim().to_owned()).filter(|t| !t.is_empty());
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
            tls: match smtp_tls.as_str() {
                "tls" => SmtpTls::Tls,
                "none" => SmtpTls::None,
                _ => SmtpTls::Starttls,
            },
            smtp_ca: None,
            username: given(&smtp_user),
            password: given(&smtp_password),
        },
        "webhook_alertmanager" => ContactTarget::Webhook {
            url,
            format: WebhookFormat::Alertmanager,
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
            repeat: given(&repeat),
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
