//! The rules list (with Delete) and the form that adds a rule. A panel's
//! "Alert" link opens this page with the form filled in from the panel
//! (`?name=&series=` or `select=`, `&warning=&critical=`); a refused
//! form comes back filled in as it was sent.

use super::forms::{choice, field, id_button};
use crate::model::Listed;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RuleList(rules: Vec<Listed>) -> impl IntoView {
    if rules.is_empty() {
        return view! { <p class="hint">"No rule yet: add one below, or use a panel's \"Alert\" button."</p> }
            .into_any();
    }
    let items = rules
        .into_iter()
        .map(|r| {
            let label = format!("Delete rule {}", r.name);
            view! {
                <li>
                    <strong>{r.name}</strong>" "<span>{r.text}</span>" "
                    {id_button("/rpc/remove_alert_rule", r.id, "Delete", label)}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="alert-rules" aria-label="Alert rules">{items}</ul> }.into_any()
}

#[component]
pub fn RuleForm() -> impl IntoView {
    let query = use_query_map();
    let given = |name: &str, default: &str| {
        query.with_untracked(|q| {
            q.get(name)
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| default.to_owned())
        })
    };
    let open = !given("series", "").is_empty() || !given("select", "").is_empty() || !given("error", "").is_empty();
    view! {
        <details class="rule-form" open=open>
            <summary>"New rule"</summary>
            <form method="post" action="/rpc/add_alert_rule" aria-label="New alert rule">
                {field("Name", "name", given("name", ""), "boiler hot")}
                {field("Series", "series", given("series", ""), "boiler.temp")}
                {field("Or selector", "select", given("select", ""), "boiler.temp{site=\"north\"}")}
                {choice("Reduce", "reducer", given("reducer", "last"), &[("last", "last value"), ("avg", "average"), ("min", "minimum"), ("max", "maximum"), ("count", "count"), ("rate", "rate per second")])}
                {field("Over", "window", given("window", "5m"), "5m")}
                {choice("Alert when", "direction", given("direction", "above"), &[("above", "at or above"), ("below", "at or below")])}
                {field("Warning", "warning", given("warning", ""), "80")}
                {field("Critical", "critical", given("critical", ""), "90")}
                {field("Recovers past", "recovery", given("recovery", ""), "the warning threshold")}
                {field("Every", "every", given("every", "15s"), "15s")}
                {field("For", "pending", given("for", ""), "0s")}
                {choice("No data counts as", "no_data_as", given("no_data_as", "alerting"), &[("alerting", "alerting"), ("ok", "OK"), ("keep_last", "the state before")])}
                {field("Summary", "summary", given("summary", "{{labels.series}} at {{value}}"), "{{labels.series}} at {{value}}")}
                <button type="submit" class="primary">"Save rule"</button>
            </form>
        </details>
    }
}
