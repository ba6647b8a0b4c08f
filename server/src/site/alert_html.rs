//! The alerts page's lists as HTML made here: the instances table (with a
//! one-button silence form per instance), the rules, silences and contact
//! points (with their Delete, End and "Send test" forms) and the delivery
//! log. The page sets them as its sections' contents, so the browser
//! bundle carries no code for them (every byte of it counts: PRODUCT.md
//! §8), and every change is a plain form post to a server function.

use crate::alerts::ALERT_NAME;
use crate::clock::rfc3339;
use app::domain::{format_value, AlertState, Direction, Severity};
use app::model::{AlertDelivery, AlertInstance, AlertRule, ContactPoint, ContactTarget, Silence, WebhookFormat};
use std::fmt::Write;

/// `text` safe inside an element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A time as the page shows it (UTC, to the second).
fn when(t_ms: i64) -> String {
    let text = rfc3339(t_ms);
    format!(
        "<time datetime=\"{text}\">{}</time>",
        text.replace('T', " ")
            .trim_end_matches('Z')
            .split('.')
            .next()
            .unwrap_or_default()
            .to_owned()
            + " UTC"
    )
}

/// A form posting `fields` to the server function `action`, as one button.
fn button_form(action: &str, fields: &[(&str, &str)], text: &str, label: &str) -> String {
    let mut out = format!("<form method=\"post\" action=\"/rpc/{action}\" class=\"inline\">");
    for (name, value) in fields {
        let _ = write!(
            out,
            "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
            escape(value)
        );
    }
    let _ = write!(
        out,
        "<button type=\"submit\" aria-label=\"{}\">{}</button></form>",
        escape(label),
        escape(text)
    );
    out
}

const STATES: [&str; 6] = ["firing", "pending", "recovering", "no_data", "error", "normal"];

fn state_word(s: &str) -> &'static str {
    match s {
        "firing" => "Firing",
        "pending" => "Pending",
        "recovering" => "Recovering",
        "no_data" => "No data",
        "error" => "Error",
        _ => "Normal",
    }
}

fn severity_word(s: Option<Severity>) -> &'static str {
    s.map_or("", Severity::as_str)
}

/// The instances in `state` with `severity` (each empty for any), firing
/// first, as a table; a hint when there is none.
pub fn instances(mut list: Vec<AlertInstance>, state: &str, severity: &str) -> String {
    list.retain(|i| {
        (state.is_empty() || i.state.name() == state) && (severity.is_empty() || severity_word(i.severity) == severity)
    });
    if list.is_empty() {
        return "<p class=\"hint\">No instance here. Rules make one per series (or group) they watch once evaluated.</p>"
            .into();
    }
    list.sort_by_key(|i| {
        let place = STATES.iter().position(|s| *s == i.state.name()).unwrap_or(STATES.len());
        (place, std::cmp::Reverse(i.severity))
    });
    let mut out = String::from(
        "<table class=\"alert-instances\" aria-label=\"Alert instances\"><thead><tr><th scope=\"col\">Rule</th>\
         <th scope=\"col\">Labels</th><th scope=\"col\">State</th><th scope=\"col\">Severity</th>\
         <th scope=\"col\">Value</th><th scope=\"col\">Since</th><th scope=\"col\">Notifications</th></tr></thead><tbody>",
    );
    for i in &list {
        let labels = i
            .labels
            .iter()
            .filter(|(k, _)| k.as_str() != ALERT_NAME)
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let matchers = format!(
            "{{{}}}",
            i.labels
                .iter()
                .map(|(k, v)| format!("{k}=\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let detail = match &i.state {
            AlertState::Error { message, .. } => format!(": {}", escape(message)),
            _ => String::new(),
        };
        let action = match i.silenced_by {
            Some(id) => format!("<span>silenced (#{id})</span>"),
            None => button_form(
                "add_silence",
                &[
                    ("matchers", &matchers),
                    ("lasting", "2h"),
                    ("created_by", "alerts page"),
                    ("comment", "silenced from the alerts page"),
                ],
                "Silence 2 h",
                &format!("Silence {} {labels} for 2 hours", i.rule_name),
            ),
        };
        let severity = severity_word(i.severity);
        let _ = write!(
            out,
            "<tr class=\"state-{state} severity-{severity}\"><td>{rule}</td><td class=\"labels\">{labels}</td>\
             <td><span class=\"state\">{word}</span>{detail}</td><td>{severity}</td><td class=\"num\">{value}</td>\
             <td>{since}</td><td>{action}</td></tr>",
            state = i.state.name(),
            rule = escape(&i.rule_name),
            labels = escape(&labels),
            word = state_word(i.state.name()),
            value = i.value.map(format_value).unwrap_or_default(),
            since = when(i.state.since()),
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// The rules, each with Delete.
pub fn rules(rules: &[AlertRule]) -> String {
    if rules.is_empty() {
        return "<p class=\"hint\">No rule yet: add one below, or use a panel's \"Alert\" button.</p>".into();
    }
    let mut out = String::from("<ul class=\"alert-rules\" aria-label=\"Alert rules\">");
    for r in rules {
        let d = &r.rule;
        let (above, below) = if d.strict { (">", "<") } else { ("≥", "≤") };
        let level = |word: &str, high: Option<f64>, low: Option<f64>| -> Option<String> {
            Some(match d.direction {
                Direction::Above => format!("{word} {above} {}", high?),
                Direction::Below => format!("{word} {below} {}", high?),
                Direction::Outside => format!("{word} outside {}–{}", low?, high?),
                Direction::Inside => format!("{word} inside {}–{}", low?, high?),
            })
        };
        let levels = [
            level("warning", d.warning, d.warning_low),
            level("critical", d.critical, d.critical_low),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        let reducer = serde_json::to_value(d.reducer)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let text = format!(
            "{reducer} of {} over {}: {levels}; every {}",
            d.select.as_deref().unwrap_or(&d.series),
            d.window.as_deref().unwrap_or("5m"),
            d.every.as_deref().unwrap_or("15s")
        );
        let id = r.id.to_string();
        let _ = write!(
            out,
            "<li><strong>{}</strong> <span>{}</span> {}</li>",
            escape(&d.name),
            escape(&text),
            button_form(
                "remove_alert_rule",
                &[("id", &id)],
                "Delete",
                &format!("Delete rule {}", d.name)
            )
        );
    }
    out.push_str("</ul>");
    out
}

/// The silences not yet ended, each with End.
pub fn silences(silences: &[Silence]) -> String {
    if silences.is_empty() {
        return "<p class=\"hint\">No silence in force.</p>".into();
    }
    let mut out = String::from("<ul class=\"silences\" aria-label=\"Silences\">");
    for s in silences {
        let window = s
            .daily
            .as_ref()
            .map(|d| format!(", daily {}–{} UTC", d.from, d.to))
            .unwrap_or_default();
        let id = s.id.to_string();
        let _ = write!(
            out,
            "<li><code>{}</code> <span>until {}{}, by {}: {}</span> {}</li>",
            escape(&s.matchers),
            when(s.ends),
            escape(&window),
            escape(&s.created_by),
            escape(&s.comment),
            button_form("end_silence", &[("id", &id)], "End", &format!("End silence {id}"))
        );
    }
    out.push_str("</ul>");
    out
}

/// The contact points (secrets left out) with "Send test" and Delete,
/// the button that subscribes this browser to Web Push (driven by
/// `/push.js`), then the delivery log.
pub fn contacts(points: &[ContactPoint], deliveries: &[AlertDelivery]) -> String {
    let mut out = String::from(
        "<p><button type=\"button\" id=\"push-subscribe\">Notify this browser</button> \
         <span id=\"push-state\" aria-live=\"polite\"></span></p>\
         <ul class=\"contact-points\" aria-label=\"Contact points\">",
    );
    for p in points {
        let shown = p.clone().redacted();
        let text = match &shown.point.target {
            ContactTarget::Webhook { url, format } => match format {
                WebhookFormat::Sensorboard => format!("webhook {url}"),
                WebhookFormat::Alertmanager => format!("webhook (Alertmanager format) {url}"),
            },
            ContactTarget::Alertmanager { url } => format!("Alertmanager {url}"),
            ContactTarget::Slack { url } => format!("Slack {url}"),
            ContactTarget::Email { to, smtp_host, .. } => format!("email to {} via {smtp_host}", to.join(", ")),
            ContactTarget::WebPush {} => "Web Push to every browser that subscribed".into(),
        };
        let (id, name) = (p.id.to_string(), &p.point.name);
        let _ = write!(
            out,
            "<li><strong>{}</strong> (#{id}) <span>{}</span> {} {}</li>",
            escape(name),
            escape(&text),
            button_form(
                "test_contact_point",
                &[("id", &id)],
                "Send test",
                &format!("Send a test to {name}")
            ),
            button_form(
                "remove_contact_point",
                &[("id", &id)],
                "Delete",
                &format!("Delete contact point {name}")
            ),
        );
    }
    out.push_str(
        "</ul><table class=\"deliveries\" aria-label=\"Deliveries\"><caption>Deliveries of the last day</caption>\
         <thead><tr><th scope=\"col\">At</th><th scope=\"col\">Contact point</th><th scope=\"col\">Event</th>\
         <th scope=\"col\">Try</th><th scope=\"col\">Outcome</th><th scope=\"col\">Answer</th></tr></thead><tbody>",
    );
    for d in deliveries {
        let outcome = if d.ok { "sent" } else { "failed" };
        let class = if d.ok { "ok" } else { "failed" };
        let _ = write!(
            out,
            "<tr class=\"{class}\"><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td>\
             <td>{outcome}</td><td class=\"answer\">{}</td></tr>",
            when(d.time),
            d.contact_point,
            escape(&d.event),
            d.attempt,
            escape(&d.answer)
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// The instance filters: links by state and severity that keep the other.
pub fn filters(state: &str, severity: &str) -> String {
    let link = |label: &str, s: &str, v: &str, on: bool| {
        let mut q = Vec::new();
        if !s.is_empty() {
            q.push(format!("state={s}"));
        }
        if !v.is_empty() {
            q.push(format!("severity={v}"));
        }
        let current = if on { " aria-current=\"true\"" } else { "" };
        format!("<a href=\"/alerts?{}\"{current}>{label}</a>", q.join("&amp;"))
    };
    let mut out = String::from("<nav class=\"filters\" aria-label=\"Filter instances\">");
    out.push_str(&link("All states", "", severity, state.is_empty()));
    for s in STATES {
        out.push_str(&link(state_word(s), s, severity, state == s));
    }
    out.push_str(" · ");
    for (label, v) in [("Any severity", ""), ("Critical", "critical"), ("Warning", "warning")] {
        out.push_str(&link(label, state, v, severity == v));
    }
    out.push_str("</nav>");
    out
}

/// A labelled text input named `name` holding `value`.
fn field(label: &str, name: &str, value: &str, hint: &str) -> String {
    format!(
        "<label class=\"field\"><span>{label}</span><input type=\"text\" name=\"{name}\" value=\"{}\" placeholder=\"{}\"></label>",
        escape(value),
        escape(hint)
    )
}

/// A labelled password input named `name`.
fn password(label: &str, name: &str) -> String {
    format!("<label class=\"field\"><span>{label}</span><input type=\"password\" name=\"{name}\" autocomplete=\"off\"></label>")
}

/// A labelled select named `name` among `choices` (value, label).
fn choice(label: &str, name: &str, chosen: &str, choices: &[(&str, &str)]) -> String {
    let options: String = choices
        .iter()
        .map(|(v, l)| {
            let selected = if *v == chosen { " selected" } else { "" };
            format!("<option value=\"{v}\"{selected}>{l}</option>")
        })
        .collect();
    format!("<label class=\"field\"><span>{label}</span><select name=\"{name}\">{options}</select></label>")
}

/// The form that adds a rule, filled from `given` (a panel's "Alert"
/// link, or a refused form coming back), open when something was given.
pub fn rule_form(given: &dyn Fn(&str) -> Option<String>) -> String {
    let value = |name: &str, default: &str| given(name).filter(|v| !v.is_empty()).unwrap_or_else(|| default.into());
    let open = ["series", "select", "error", "preview"]
        .iter()
        .any(|n| given(n).is_some_and(|v| !v.is_empty()));
    let fields = [
        field("Name", "name", &value("name", ""), "boiler hot"),
        field("Series", "series", &value("series", ""), "boiler.temp"),
        field(
            "Or selector",
            "select",
            &value("select", ""),
            "boiler.temp{site=\"north\"}",
        ),
        choice(
            "Combined by",
            "aggregate",
            &value("aggregate", ""),
            &[
                ("", "each series alone"),
                ("avg", "average"),
                ("sum", "sum"),
                ("min", "minimum"),
                ("max", "maximum"),
                ("count", "count"),
            ],
        ),
        field("Per group of", "by", &value("by", ""), "site, line"),
        choice(
            "Reduce",
            "reducer",
            &value("reducer", "last"),
            &[
                ("last", "last value"),
                ("avg", "average"),
                ("min", "minimum"),
                ("max", "maximum"),
                ("count", "count"),
                ("rate", "rate per second"),
            ],
        ),
        field("Over", "window", &value("window", "5m"), "5m"),
        choice(
            "Alert when",
            "direction",
            &value("direction", "above"),
            &[
                ("above", "above"),
                ("below", "below"),
                ("outside", "outside a band"),
                ("inside", "inside a band"),
            ],
        ),
        choice(
            "The threshold itself",
            "strict",
            &value("strict", ""),
            &[("", "alerts (>=, <=)"), ("strict", "does not (>, <)")],
        ),
        field("Warning", "warning", &value("warning", ""), "80 (a band's high edge)"),
        field(
            "Warning low edge",
            "warning_low",
            &value("warning_low", ""),
            "bands only",
        ),
        field("Critical", "critical", &value("critical", ""), "90"),
        field(
            "Critical low edge",
            "critical_low",
            &value("critical_low", ""),
            "bands only",
        ),
        field(
            "Recovers past",
            "recovery",
            &value("recovery", ""),
            "the warning threshold",
        ),
        field("Keep firing", "keep_firing", &value("keep_firing", ""), "0s"),
        field("Every", "every", &value("every", "15s"), "15s"),
        field("For", "pending", &value("pending", ""), "0s"),
        field("No data after", "no_data_after", &value("no_data_after", ""), "5m"),
        choice(
            "No data counts as",
            "no_data_as",
            &value("no_data_as", "alerting"),
            &[
                ("alerting", "alerting"),
                ("ok", "OK"),
                ("keep_last", "the state before"),
            ],
        ),
        field("Labels", "labels", &value("labels", ""), "team=heat, site=north"),
        field(
            "Summary",
            "summary",
            &value("summary", "{{labels.series}} at {{value}}"),
            "{{labels.series}} at {{value}}",
        ),
        field(
            "Contact points",
            "contact_points",
            &value("contact_points", ""),
            "#1, #3 (all when empty)",
        ),
    ];
    format!(
        "<details class=\"rule-form\"{}><summary>New rule</summary>\
         <form method=\"post\" action=\"/rpc/add_alert_rule\" aria-label=\"New alert rule\">{}\
         <button type=\"submit\" class=\"primary\">Save rule</button> \
         <button type=\"submit\" formmethod=\"get\" formaction=\"/alerts\" name=\"preview\" value=\"1\">Preview</button>\
         </form></details>",
        if open { " open" } else { "" },
        fields.concat()
    )
}

/// A rule's preview: the drawing (an image, so the page's style policy
/// does not apply to it) and what it shows.
pub fn preview_figure(svg: &str, alt: &str, caption: &str) -> String {
    use base64::Engine;
    let data = base64::engine::general_purpose::STANDARD.encode(svg);
    format!(
        "<figure class=\"rule-preview\" aria-label=\"Rule preview\"><img alt=\"{}\" src=\"data:image/svg+xml;base64,{data}\">\
         <figcaption>{}</figcaption></figure>",
        escape(alt),
        escape(caption)
    )
}

/// Why there is no preview.
pub fn preview_note(text: &str) -> String {
    format!(
        "<figure class=\"rule-preview\" aria-label=\"Rule preview\"><figcaption>{}</figcaption></figure>",
        escape(text)
    )
}

/// The form that adds a silence.
pub fn silence_form() -> String {
    format!(
        "<details class=\"silence-form\"><summary>New silence</summary>\
         <form method=\"post\" action=\"/rpc/add_silence\" aria-label=\"New silence\">{}{}{}{}\
         <fieldset><legend>Only daily, in UTC (optional)</legend>{}{}{}</fieldset>\
         <button type=\"submit\" class=\"primary\">Silence</button></form></details>",
        field("Matchers", "matchers", "", "{site=\"north\", alertname=~\"boiler.*\"}"),
        field("For", "lasting", "2h", "2h, or 30d for a nightly window"),
        field("Who", "created_by", "", "your name"),
        field("Why", "comment", "", "boiler serviced"),
        field("From", "daily_from", "", "02:00"),
        field("To", "daily_to", "", "04:00"),
        field("On", "daily_days", "", "mon, tue (every day when empty)"),
    )
}

/// The form that adds a contact point.
pub fn contact_form() -> String {
    format!(
        "<details class=\"contact-form\"><summary>New contact point</summary>\
         <form method=\"post\" action=\"/rpc/add_contact_point\" aria-label=\"New contact point\">{}{}{}{}\
         <fieldset><legend>Email only</legend>{}{}{}{}{}{}{}</fieldset>\
         <button type=\"submit\" class=\"primary\">Add contact point</button></form></details>",
        field("Name", "name", "", "on call"),
        choice(
            "Kind",
            "kind",
            "webhook",
            &[
                ("webhook", "Webhook"),
                ("webhook_alertmanager", "Webhook, Alertmanager's format"),
                ("alertmanager", "Alertmanager"),
                ("slack", "Slack"),
                ("email", "Email (SMTP)"),
                ("web_push", "Web Push (subscribed browsers)"),
            ]
        ),
        field("URL", "url", "", "https://… (webhook, Alertmanager, Slack)"),
        field("Repeat every", "repeat", "4h", "4h (0: never)"),
        field("To", "to", "", "oncall@example.com"),
        field("From", "from", "", "sensorboard@example.com"),
        field("SMTP server", "smtp_host", "", "smtp.example.com"),
        field("Port", "smtp_port", "587", "587"),
        choice(
            "Encryption",
            "smtp_tls",
            "starttls",
            &[("starttls", "STARTTLS"), ("tls", "TLS"), ("none", "none")]
        ),
        field("User", "smtp_user", "", "(none)"),
        password("Password", "smtp_password"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_form_opens_filled_in_from_what_was_given() {
        let given = |name: &str| match name {
            "series" => Some("boiler.temp{site=\"n\"}".to_owned()),
            "warning" => Some("80".to_owned()),
            "direction" => Some("below".to_owned()),
            _ => None,
        };
        let form = rule_form(&given);
        assert!(form.contains("<details class=\"rule-form\" open>"), "{form}");
        assert!(
            form.contains(r#"name="series" value="boiler.temp{site=&quot;n&quot;}""#),
            "{form}"
        );
        assert!(form.contains(r#"name="warning" value="80""#), "{form}");
        assert!(form.contains(r#"<option value="below" selected>"#), "{form}");
        assert!(form.contains(r#"name="every" value="15s""#), "{form}");
        assert!(!rule_form(&|_: &str| None).contains(" open>"));
    }

    #[test]
    fn text_is_escaped_in_elements_and_attributes() {
        assert_eq!(escape(r#"<b a="1">&'"#), "&lt;b a=&quot;1&quot;&gt;&amp;&#39;");
        let form = button_form("end_silence", &[("id", "3\"><x")], "End", "End <it>");
        assert!(form.contains("value=\"3&quot;&gt;&lt;x\""), "{form}");
        assert!(form.contains("aria-label=\"End &lt;it&gt;\""), "{form}");
    }

    #[test]
    fn instances_are_filtered_and_firing_comes_first() {
        let instance = |site: &str, state: AlertState, severity| AlertInstance {
            rule: 1,
            rule_name: "hot <1>".into(),
            labels: [("site".to_owned(), site.to_owned())].into(),
            state,
            severity,
            value: Some(1.5),
            value_at: None,
            evaluated: 0,
            silenced_by: None,
        };
        let list = vec![
            instance("n", AlertState::Normal { since: 0 }, None),
            instance(
                "s",
                AlertState::Firing {
                    since: 0,
                    severity: Severity::Critical,
                },
                Some(Severity::Critical),
            ),
        ];
        let all = instances(list.clone(), "", "");
        assert!(all.find("site=s").unwrap() < all.find("site=n").unwrap());
        assert!(all.contains("hot &lt;1&gt;"));
        assert!(all.contains(r#"name="matchers" value="{site=&quot;s&quot;}""#), "{all}");
        let firing = instances(list.clone(), "firing", "critical");
        assert!(firing.contains("site=s") && !firing.contains("site=n"));
        assert!(instances(list, "pending", "").contains("No instance here"));
    }
}
