//! Sending notices to contact points: each (notice, contact point) on a
//! task of its own, so a slow receiver delays nobody else; retried with
//! backoff; every attempt written to the delivery log. A minute tick
//! re-posts firing alerts to Alertmanagers (which forget alerts they stop
//! hearing of) and repeats firing notices after each contact point's
//! repeat interval.

use super::notice::{Event, Notice};
use super::rounds::Figures;
use super::Alerts;
use super::{payload, web_push};
use crate::store::{NewDelivery, Store};
use app::model::{ContactPoint, ContactTarget, SmtpTls, WebhookFormat};
use rustc_hash::FxHashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// Notices waiting to be sent; more are dropped with a warning (the
/// marks in the instances still say they were due).
pub const QUEUE: usize = 1_024;
/// Longest wait for one receiver's answer.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);
/// How often Alertmanagers hear of the firing alerts again, and repeat
/// intervals are checked.
const REFRESH: Duration = Duration::from_secs(60);
/// The most of a receiver's answer kept in the delivery log, in bytes.
const ANSWER_KEPT: usize = 300;

/// How often and how patiently a delivery is tried.
#[derive(Debug, Clone, Copy)]
pub struct Retries {
    pub attempts: u32,
    /// The wait before the second attempt; each next wait doubles.
    pub first_wait: Duration,
}

impl Default for Retries {
    fn default() -> Self {
        Retries {
            attempts: 4,
            first_wait: Duration::from_secs(1),
        }
    }
}

/// What the sending tasks share.
#[derive(Clone)]
pub struct Sender {
    store: Store,
    figures: Arc<Figures>,
    vapid: Arc<tokio::sync::OnceCell<web_push::VapidKey>>,
    http: reqwest::Client,
    public_url: Arc<str>,
    retries: Retries,
}

impl Sender {
    pub fn new(store: Store, public_url: &str, retries: Retries, figures: Arc<Figures>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(ANSWER_TIMEOUT)
            .user_agent(concat!("sensorboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Sender {
            store,
            figures,
            vapid: Arc::default(),
            http,
            public_url: public_url.into(),
            retries,
        }
    }

    /// Sends `notice` to each of `points` it is routed to, each on a task
    /// of its own; returns the tasks.
    pub fn dispatch(&self, notice: Arc<Notice>, points: &[ContactPoint]) -> Vec<JoinHandle<bool>> {
        points
            .iter()
            .filter(|p| notice.contact_points.is_empty() || notice.contact_points.contains(&p.id))
            .map(|p| {
                let (sender, notice, point) = (self.clone(), notice.clone(), p.clone());
                tokio::spawn(async move { sender.deliver(&notice, &point).await })
            })
            .collect()
    }

    /// Tries `notice` on `point` until it is taken or the attempts run
    /// out, logging each attempt; whether it was taken.
    pub async fn deliver(&self, notice: &Notice, point: &ContactPoint) -> bool {
        let mut wait = self.retries.first_wait;
        for attempt in 1..=self.retries.attempts {
            let outcome = self.send(notice, point).await;
            let ok = outcome.is_ok();
            let answer = outcome.unwrap_or_else(|e| e);
            let logged = NewDelivery {
                time: crate::clock::now_ms(),
                contact_point: point.id,
                rule: (notice.rule > 0).then_some(notice.rule),
                event: notice.event.as_str(),
                attempt,
                ok,
                answer,
            };
            let counted = if ok {
                &self.figures.notifications_sent
            } else {
                &self.figures.notification_failures
            };
            counted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if !ok {
                tracing::warn!(contact_point = point.id, attempt, answer = %logged.answer, "notification not delivered");
            }
            if let Err(e) = self.store.record_deliveries(vec![logged]).await {
                tracing::warn!(error = %e, "the delivery log could not be written");
            }
            if ok {
                return true;
            }
            if attempt < self.retries.attempts {
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
        }
        false
    }

    /// One attempt: the receiver's answer when it took the notice (2xx),
    /// else why not.
    async fn send(&self, notice: &Notice, point: &ContactPoint) -> Result<String, String> {
        let (url, body) = match &point.point.target {
            ContactTarget::Webhook { url, format } => (
                url.clone(),
                match format {
                    WebhookFormat::Sensorboard => payload::sensorboard(notice),
                    WebhookFormat::Alertmanager => {
                        payload::alertmanager_webhook(notice, &point.point.name, &self.public_url)
                    }
                },
            ),
            ContactTarget::Alertmanager { url } => (
                format!("{}/api/v2/alerts", url.trim_end_matches('/')),
                payload::alertmanager_alerts(&notice.alerts, notice.at),
            ),
            ContactTarget::Slack { url } => (url.clone(), payload::slack(notice)),
            ContactTarget::Email { .. } => return self.mail(notice, &point.point.target).await,
            ContactTarget::WebPush {} => return self.push(notice).await,
        };
        let res = self
            .http
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| format!("{url}: {}", describe(&e)))?;
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        let answer = format!("{status}{}{}", if text.is_empty() { "" } else { ": " }, clip(&text));
        if status.is_success() {
            Ok(answer)
        } else {
            Err(answer)
        }
    }

    /// The notice to every subscribed browser: what was taken, or why
    /// none took it. A subscription its push service calls gone (404, 410)
    /// is forgotten.
    async fn push(&self, notice: &Notice) -> Result<String, String> {
        let subscriptions = self.store.push_subscriptions().await.map_err(|e| e.to_string())?;
        if subscriptions.is_empty() {
            return Err("no browser has subscribed (\"Notify this browser\" on the alerts page)".into());
        }
        let key = self.vapid_key().await?;
        let message = payload::push_message(notice).to_string();
        let expires = notice.at / 1000 + 12 * 3600;
        let (mut taken, mut answers) = (0, Vec::new());
        for s in &subscriptions {
            let keys = web_push::BrowserKeys {
                p256dh: s.keys.p256dh.clone(),
                auth: s.keys.auth.clone(),
            };
            let body = match web_push::encrypt(&keys, message.as_bytes()) {
                Ok(body) => body,
                Err(e) => {
                    answers.push(format!("{}: {e}", s.endpoint));
                    continue;
                }
            };
            let sent = self
                .http
                .post(&s.endpoint)
                .header("TTL", "86400")
                .header("Urgency", "high")
                .header(reqwest::header::CONTENT_ENCODING, "aes128gcm")
                .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
                .header(
                    reqwest::header::AUTHORIZATION,
                    key.authorization(&s.endpoint, &self.push_subject(), expires),
                )
                .body(body)
                .send()
                .await;
            match sent {
                Ok(res) if res.status().is_success() => taken += 1,
                Ok(res) if matches!(res.status().as_u16(), 404 | 410) => {
                    let _ = self.store.delete_push_subscription(s.endpoint.clone()).await;
                    answers.push(format!(
                        "{}: {} (gone, forgotten)",
                        origin_of(&s.endpoint),
                        res.status()
                    ));
                }
                Ok(res) => answers.push(format!("{}: {}", origin_of(&s.endpoint), res.status())),
                Err(e) => answers.push(format!("{}: {}", origin_of(&s.endpoint), describe(&e))),
            }
        }
        let answer = format!(
            "taken by {taken} of {} browsers{}",
            subscriptions.len(),
            if answers.is_empty() {
                String::new()
            } else {
                format!("; {}", answers.join("; "))
            }
        );
        if taken > 0 {
            Ok(clip(&answer).to_owned())
        } else {
            Err(clip(&answer).to_owned())
        }
    }

    /// The server's VAPID key: the stored one, made and stored the first
    /// time it is needed.
    async fn vapid_key(&self) -> Result<web_push::VapidKey, String> {
        self.vapid
            .get_or_try_init(|| async {
                let made = web_push::VapidKey::generate().map_err(|e| e.to_string())?;
                let stored = self.store.push_key(made.to_bytes()).await.map_err(|e| e.to_string())?;
                web_push::VapidKey::from_bytes(&stored).ok_or_else(|| "the stored VAPID key is damaged".to_owned())
            })
            .await
            .cloned()
    }

    /// The public half of the VAPID key, for browsers subscribing.
    pub async fn vapid_public_key(&self) -> Result<String, String> {
        Ok(self.vapid_key().await?.public_b64())
    }

    /// Who push services may contact about our pushes: the public URL
    /// when it is https, else a mailbox on this host.
    fn push_subject(&self) -> String {
        if self.public_url.starts_with("https://") {
            self.public_url.to_string()
        } else {
            "mailto:sensorboard@localhost".into()
        }
    }

    async fn mail(&self, notice: &Notice, target: &ContactTarget) -> Result<String, String> {
        use lettre::message::{header::ContentType, Mailbox};
        use lettre::transport::smtp::authentication::Credentials;
        use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
        use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
        let ContactTarget::Email {
            to,
            from,
            smtp_host,
            smtp_port,
            tls,
            smtp_ca,
            username,
            password,
        } = target
        else {
            return Err("not an email contact point".into());
        };
        let (subject, body) = payload::email(notice);
        let mailbox = |a: &str| a.parse::<Mailbox>().map_err(|e| format!("`{a}`: {e}"));
        let mut message = Message::builder().from(mailbox(from)?).subject(subject);
        for a in to {
            message = message.to(mailbox(a)?);
        }
        let message = message
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())?;
        // The public roots, and the relay's own authority when it has one.
        let parameters = || {
            let mut p = TlsParameters::builder(smtp_host.clone());
            if let Some(pem) = smtp_ca {
                let ca = Certificate::from_pem(pem.as_bytes()).map_err(|e| format!("smtp_ca: {e}"))?;
                p = p.add_root_certificate(ca);
            }
            p.build().map_err(|e| e.to_string())
        };
        let plain = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp_host);
        let builder = match tls {
            SmtpTls::Starttls => plain.tls(Tls::Required(parameters()?)),
            SmtpTls::Tls => plain.tls(Tls::Wrapper(parameters()?)),
            SmtpTls::None => plain,
        };
        let mut builder = builder.port(*smtp_port).timeout(Some(ANSWER_TIMEOUT));
        if let (Some(user), Some(pass)) = (username, password) {
            builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
        }
        let answer = builder
            .build()
            .send(message)
            .await
            .map_err(|e| format!("{smtp_host}:{smtp_port}: {e}"))?;
        Ok(format!(
            "{} {}",
            answer.code(),
            clip(&answer.message().collect::<Vec<_>>().join(" "))
        ))
    }
}

/// `scheme://host` of an endpoint: its path names the browser and stays
/// out of the log.
fn origin_of(url: &str) -> &str {
    let after = url.find("://").map_or(0, |i| i + 3);
    url[after..].find('/').map_or(url, |i| &url[..after + i])
}

/// The whole chain of a request's failure (connection refused, timeout).
fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn clip(text: &str) -> &str {
    if text.len() <= ANSWER_KEPT {
        return text;
    }
    let mut end = ANSWER_KEPT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Sends the notices of `rx` and refreshes firing alerts each minute,
/// until `stop` turns true.
pub fn spawn(alerts: Alerts, mut rx: mpsc::Receiver<Notice>, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let sender = alerts.sender().clone();
        let mut refresh = tokio::time::interval(REFRESH);
        refresh.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        refresh.tick().await;
        loop {
            tokio::select! {
                notice = rx.recv() => {
                    let Some(notice) = notice else { return };
                    let points = match alerts.shared.store.contact_points().await {
                        Ok(points) => points,
                        Err(e) => {
                            tracing::warn!(error = %e, "contact points could not be read; a notice was dropped");
                            continue;
                        }
                    };
                    alerts.heard_now(&points, notice.rule, notice.at);
                    sender.dispatch(Arc::new(notice), &points);
                }
                _ = refresh.tick() => alerts.refresh(crate::clock::now_ms()).await,
                _ = stop.changed() => return,
            }
        }
    })
}

/// When each contact point last heard of each rule's firing alerts, by
/// (contact point, rule).
pub type Heard = FxHashMap<(i64, i64), i64>;

impl Alerts {
    /// Records that `points` heard of `rule` at `at`.
    fn heard_now(&self, points: &[ContactPoint], rule: i64, at: i64) {
        let mut heard = self
            .shared
            .heard
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for p in points {
            heard.insert((p.id, rule), at);
        }
    }

    /// What the minute tick does at `now`: re-posts firing alerts to
    /// Alertmanagers, and repeats the notices of rules still firing whose
    /// contact point's repeat interval passed since it last heard of them.
    /// A rule firing since before this server started counts as heard
    /// when first seen here, so a restart repeats nothing at once.
    pub async fn refresh(&self, now: i64) {
        let Ok(points) = self.shared.store.contact_points().await else {
            return;
        };
        for notice in self.firing_notices(now) {
            let notice = Arc::new(notice);
            for p in &points {
                let routed = notice.contact_points.is_empty() || notice.contact_points.contains(&p.id);
                if !routed {
                    continue;
                }
                let repeat_ms = p.point.clone().checked().map_or(0, |(_, ms)| ms);
                let due = {
                    let mut heard = self
                        .shared
                        .heard
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    let last = *heard.entry((p.id, notice.rule)).or_insert(now);
                    let due = match p.point.target {
                        ContactTarget::Alertmanager { .. } => true,
                        _ => repeat_ms > 0 && now.saturating_sub(last) >= repeat_ms,
                    };
                    if due {
                        heard.insert((p.id, notice.rule), now);
                    }
                    due
                };
                if due {
                    let (sender, notice, point) = (self.sender().clone(), notice.clone(), p.clone());
                    tokio::spawn(async move { sender.deliver(&notice, &point).await });
                }
            }
        }
    }

    /// A repeat notice per rule with firing instances, holding those.
    fn firing_notices(&self, now: i64) -> Vec<Notice> {
        let rules = self.shared.figures.rules();
        let silences = self.silences();
        let muted = |labels: &app::model::Labels| silences.muting(labels, now).is_some();
        let mut notices = Vec::new();
        for (id, rule) in rules.iter() {
            let alerts = self
                .with_table(|t| t.firing_alerts(*id, rule, now, &self.shared.public_url, &muted))
                .unwrap_or_default();
            if !alerts.is_empty() {
                notices.push(Notice {
                    rule: *id,
                    rule_name: rule.draft.name.clone(),
                    event: Event::Repeat,
                    contact_points: rule.draft.contact_points.clone(),
                    alerts,
                    at: now,
                });
            }
        }
        notices
    }
}
