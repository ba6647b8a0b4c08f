//! The instances table, its filters, and a one-click silence of an
//! instance for two hours.

use crate::components::local_parts;
use crate::domain::{format_instant, format_value};
use crate::model::{AlertOverview, InstanceRow};
use leptos::prelude::*;

const STATES: [&str; 6] = ["firing", "pending", "recovering", "no_data", "error", "normal"];

/// State and severity pickers: links that keep the other filter.
#[component]
pub fn Filters(state: Memo<String>, severity: Memo<String>) -> impl IntoView {
    let href = move |s: &str, v: &str| {
        let mut q = Vec::new();
        if !s.is_empty() {
            q.push(format!("state={s}"));
        }
        if !v.is_empty() {
            q.push(format!("severity={v}"));
        }
        format!("/alerts?{}", q.join("&"))
    };
    let link = move |label: &'static str, s: &'static str, v: Option<&'static str>| {
        let current = move || {
            let on = match v {
                Some(v) => severity.get() == v,
                None => state.get() == s,
            };
            on.then_some("true")
        };
        let to = move || match v {
            Some(v) => href(&state.get(), v),
            None => href(s, &severity.get()),
        };
        view! { <a href=to aria-current=current>{label}</a> }
    };
    view! {
        <nav class="filters" aria-label="Filter instances">
            {link("All states", "", None)}
            {STATES.map(|s| link(state_word(s), s, None)).collect_view()}
            " · "
            {link("Any severity", "", Some(""))}
            {link("Critical", "", Some("critical"))}
            {link("Warning", "", Some("warning"))}
        </nav>
    }
}

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

/// Firing first, then by severity; normal last.
fn rank(i: &InstanceRow) -> (usize, std::cmp::Reverse<String>) {
    let place = STATES.iter().position(|s| *s == i.state).unwrap_or(STATES.len());
    (place, std::cmp::Reverse(i.severity.clone()))
}

#[component]
pub fn InstanceTable(overview: AlertOverview, state: String, severity: String) -> impl IntoView {
    let mut list: Vec<InstanceRow> = overview
        .instances
        .into_iter()
        .filter(|i| state.is_empty() || i.state == state)
        .filter(|i| severity.is_empty() || i.severity == severity)
        .collect();
    if list.is_empty() {
        return view! { <p class="hint">"No instance here. Rules make one per series (or group) they watch once evaluated."</p> }.into_any();
    }
    list.sort_by_key(rank);
    let rows = list
        .into_iter()
        .map(|i| {
            let action = match i.silenced_by {
                Some(id) => view! { <span>{format!("silenced (#{id})")}</span> }.into_any(),
                None => view! {
                    <form method="post" action="/rpc/add_silence" class="inline">
                        <input type="hidden" name="matchers" value=i.matchers/>
                        <input type="hidden" name="lasting" value="2h"/>
                        <input type="hidden" name="created_by" value="alerts page"/>
                        <input type="hidden" name="comment" value="silenced from the alerts page"/>
                        <button type="submit" aria-label=format!("Silence {} {} for 2 hours", i.rule_name, i.labels)>"Silence 2 h"</button>
                    </form>
                }
                .into_any(),
            };
            let class = format!("state-{} severity-{}", i.state, i.severity);
            view! {
                <tr class=class>
                    <td>{i.rule_name}</td>
                    <td class="labels">{i.labels}</td>
                    <td><span class="state">{state_word(&i.state)}</span>{i.detail.map(|d| format!(": {d}"))}</td>
                    <td>{i.severity}</td>
                    <td class="num">{i.value.map(format_value)}</td>
                    <td>{format_instant(local_parts(i.since))}</td>
                    <td>{action}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="alert-instances" aria-label="Alert instances">
            <thead>
                <tr>
                    <th scope="col">"Rule"</th>
                    <th scope="col">"Labels"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Severity"</th>
                    <th scope="col">"Value"</th>
                    <th scope="col">"Since"</th>
                    <th scope="col">"Notifications"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
