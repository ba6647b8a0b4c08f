//! Contact points: where alert notifications go (a webhook, Alertmanager,
//! Slack, email), and the delivery log of what was sent to them.

use super::{ErrorBody, MAX_TITLE_CHARS};
use crate::domain::parse_span;
use serde::{Deserialize, Serialize};

/// Longest URL or address a contact point holds.
pub const MAX_TARGET_CHARS: usize = 2_048;
/// Most email recipients of one contact point.
pub const MAX_RECIPIENTS: usize = 32;
/// Most deliveries one log answer lists.
pub const MAX_DELIVERIES: usize = 500;
/// How often a notice is repeated while an alert keeps firing, unless
/// the contact point says.
pub const DEFAULT_REPEAT_MS: i64 = 4 * 3_600_000;

/// A contact point as a client sends it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactPointDraft {
    pub name: String,
    #[serde(flatten)]
    pub target: ContactTarget,
    /// How often a firing alert is notified again (`4h` when absent, `0`
    /// for never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<String>,
}

/// Where and how notifications are sent; `kind` names it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ContactTarget {
    /// A POST of JSON to `url`: sensorboard's own document, or
    /// Alertmanager's webhook format (version 4) so existing receivers
    /// work unchanged.
    Webhook {
        url: String,
        #[serde(default)]
        format: WebhookFormat,
    },
    /// An Alertmanager at `url` (e.g. `http://127.0.0.1:9093`): firing
    /// alerts are posted to `/api/v2/alerts` and re-posted while they
    /// fire; a resolved one is posted with its `endsAt`.
    Alertmanager { url: String },
    /// A Slack incoming webhook.
    Slack { url: String },
    /// Web Push to every browser (or installed app) that subscribed on
    /// the alerts page; clicking the notification opens the alert's chart.
    WebPush {},
    /// Email over SMTP.
    Email {
        to: Vec<String>,
        from: String,
        smtp_host: String,
        #[serde(default = "smtp_port")]
        smtp_port: u16,
        #[serde(default)]
        tls: SmtpTls,
        /// A certificate authority (PEM) to trust besides the public ones,
        /// for a relay whose certificate a private authority signed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        smtp_ca: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        username: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        password: Option<String>,
    },
}

fn smtp_port() -> u16 {
    587
}

/// The JSON a webhook receives.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WebhookFormat {
    #[default]
    Sensorboard,
    Alertmanager,
}

/// How an email contact point talks to its SMTP server.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS (required).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: for a relay on the same machine or network.
    None,
}

/// A stored contact point. Its password is never shown again.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactPoint {
    pub id: i64,
    #[serde(flatten)]
    pub point: ContactPointDraft,
    pub updated: i64,
}

impl ContactPoint {
    /// The contact point as the API shows it: a password replaced by
    /// `********`, a Slack webhook's secret path by `…`.
    pub fn redacted(mut self) -> Self {
        match &mut self.point.target {
            ContactTarget::Email { password: Some(p), .. } => *p = "********".into(),
            ContactTarget::Slack { url } => {
                let host_end = url.find("://").map_or(0, |i| i + 3);
                let path = url[host_end..].find('/').map_or(url.len(), |i| host_end + i);
                url.truncate(path);
                url.push_str("/…");
            }
            _ => {}
        }
        self
    }
}

/// One attempt to deliver a notification.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertDelivery {
    pub id: i64,
    pub time: i64,
    pub contact_point: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<i64>,
    /// firing, resolved, repeat or test.
    pub event: String,
    /// 1 for the first try, more for retries.
    pub attempt: u32,
    pub ok: bool,
    /// The receiver's status and the start of its answer, or why the
    /// request failed.
    pub answer: String,
}

impl ContactPointDraft {
    /// The draft with its repeat interval in milliseconds (0: never), or
    /// the first thing wrong with it.
    pub fn checked(mut self) -> Result<(ContactPointDraft, i64), ErrorBody> {
        self.name = self.name.trim().to_owned();
        if self.name.is_empty() || self.name.chars().count() > MAX_TITLE_CHARS {
            return Err(invalid(format!("the name must be 1 to {MAX_TITLE_CHARS} characters")));
        }
        match &self.target {
            ContactTarget::Webhook { url, .. } | ContactTarget::Alertmanager { url } | ContactTarget::Slack { url } => {
                check_url(url)?
            }
            ContactTarget::WebPush {} => {}
            ContactTarget::Email {
                to, from, smtp_host, ..
            } => {
                if to.is_empty() || to.len() > MAX_RECIPIENTS {
                    return Err(invalid(format!("to: 1 to {MAX_RECIPIENTS} addresses")));
                }
                for a in to.iter().chain([from]) {
                    check_address(a)?;
                }
                if smtp_host.trim().is_empty() || smtp_host.len() > MAX_TARGET_CHARS {
                    return Err(invalid("smtp_host: the SMTP server's host name".into()));
                }
            }
        }
        let repeat_ms = match self.repeat.as_deref().map(str::trim) {
            None => DEFAULT_REPEAT_MS,
            Some("0" | "0s" | "0m" | "0h" | "never") => 0,
            Some(text) => {
                parse_span(text).ok_or_else(|| invalid(format!("repeat: `{text}` is not a span like 30m or 4h")))?
            }
        };
        Ok((self, repeat_ms))
    }
}

fn check_url(url: &str) -> Result<(), ErrorBody> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && url.len() <= MAX_TARGET_CHARS && !url.contains(char::is_whitespace) => Ok(()),
        _ => Err(invalid(format!("url: `{url}` is not an http:// or https:// address"))),
    }
}

fn check_address(a: &str) -> Result<(), ErrorBody> {
    match a.split_once('@') {
        Some((user, host))
            if !user.is_empty() && (host.contains('.') || host == "localhost") && a.len() <= MAX_TARGET_CHARS =>
        {
            Ok(())
        }
        _ => Err(invalid(format!("`{a}` is not an email address"))),
    }
}

fn invalid(message: String) -> ErrorBody {
    ErrorBody::new("invalid_contact_point", message)
}

/// A browser's push subscription, as `PushSubscription.toJSON()` gives it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSubscription {
    /// The push service's URL for this browser.
    pub endpoint: String,
    pub keys: PushKeys,
}

/// A subscription's keys, base64url.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushKeys {
    /// The browser's P-256 public key.
    pub p256dh: String,
    /// Its 16-byte authentication secret.
    pub auth: String,
}

impl PushSubscription {
    /// Checked: an `https://` endpoint (plain `http://` only on this
    /// machine, for tests and local push services) and keys of sane size.
    pub fn checked(self) -> Result<PushSubscription, ErrorBody> {
        let invalid = |m: &str| ErrorBody::new("invalid_subscription", m);
        let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"];
        let e = &self.endpoint;
        let secure = e.starts_with("https://")
            || local
                .iter()
                .any(|l| e.starts_with(l) && e[l.len()..].starts_with([':', '/']));
        if !secure || e.len() > MAX_TARGET_CHARS || e.contains(char::is_whitespace) {
            return Err(invalid("endpoint: an https:// URL of a push service"));
        }
        let b64 = |s: &str, most: usize| {
            !s.is_empty() && s.len() <= most && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b))
        };
        if !b64(&self.keys.p256dh, 100) || !b64(&self.keys.auth, 32) {
            return Err(invalid("keys: p256dh and auth in base64url"));
        }
        Ok(self)
    }
}
