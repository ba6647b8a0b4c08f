//! Contact points, each with "Send test" and Delete, the form that adds
//! a webhook, Alertmanager, Slack or email one, and the recent deliveries.

use super::forms::{choice, field, id_button};
use crate::components::local_parts;
use crate::domain::format_instant;
use crate::model::AlertOverview;
use leptos::prelude::*;

#[component]
pub fn ContactList(overview: AlertOverview) -> impl IntoView {
    let points = overview
        .contact_points
        .into_iter()
        .map(|p| {
            let (test, delete) = (
                format!("Send a test to {}", p.name),
                format!("Delete contact point {}", p.name),
            );
            view! {
                <li>
                    <strong>{p.name}</strong>" "<span>{p.text}</span>" "
                    {id_button("/rpc/test_contact_point", p.id, "Send test", test)}
                    {id_button("/rpc/remove_contact_point", p.id, "Delete", delete)}
                </li>
            }
        })
        .collect_view();
    let deliveries = overview
        .deliveries
        .into_iter()
        .map(|d| {
            view! {
                <tr class=if d.ok { "ok" } else { "failed" }>
                    <td>{format_instant(local_parts(d.time))}</td>
                    <td class="num">{d.contact_point}</td>
                    <td>{d.event}</td>
                    <td class="num">{d.attempt}</td>
                    <td>{if d.ok { "sent" } else { "failed" }}</td>
                    <td class="answer">{d.answer}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <ul class="contact-points" aria-label="Contact points">{points}</ul>
        <table class="deliveries" aria-label="Deliveries">
            <caption>"Deliveries of the last day"</caption>
            <thead>
                <tr>
                    <th scope="col">"At"</th>
                    <th scope="col">"Contact point"</th>
                    <th scope="col">"Event"</th>
                    <th scope="col">"Try"</th>
                    <th scope="col">"Outcome"</th>
                    <th scope="col">"Answer"</th>
                </tr>
            </thead>
            <tbody>{deliveries}</tbody>
        </table>
    }
}

#[component]
pub fn ContactForm() -> impl IntoView {
    view! {
        <details class="contact-form">
            <summary>"New contact point"</summary>
            <form method="post" action="/rpc/add_contact_point" aria-label="New contact point">
                {field("Name", "name", String::new(), "on call")}
                {choice("Kind", "kind", "webhook".into(), &[("webhook", "Webhook"), ("alertmanager", "Alertmanager"), ("slack", "Slack"), ("email", "Email (SMTP, STARTTLS)")])}
                {field("URL", "url", String::new(), "https://… (webhook, Alertmanager, Slack)")}
                <fieldset>
                    <legend>"Email only"</legend>
                    {field("To", "to", String::new(), "oncall@example.com")}
                    {field("From", "from", String::new(), "sensorboard@example.com")}
                    {field("SMTP server", "smtp_host", String::new(), "smtp.example.com")}
                    {field("Port", "smtp_port", "587".into(), "587")}
                </fieldset>
                <button type="submit" class="primary">"Add contact point"</button>
            </form>
        </details>
    }
}
