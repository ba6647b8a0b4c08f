//! The silences in force or to come, each with End, and the form that
//! adds one.

use super::forms::{field, id_button};
use crate::model::Listed;
use leptos::prelude::*;

#[component]
pub fn SilenceList(silences: Vec<Listed>) -> impl IntoView {
    if silences.is_empty() {
        return view! { <p class="hint">"No silence in force."</p> }.into_any();
    }
    let items = silences
        .into_iter()
        .map(|s| {
            let label = format!("End silence {}", s.id);
            view! {
                <li>
                    <code>{s.name}</code>" "<span>{s.text}</span>" "
                    {id_button("/rpc/end_silence", s.id, "End", label)}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="silences" aria-label="Silences">{items}</ul> }.into_any()
}

#[component]
pub fn SilenceForm() -> impl IntoView {
    view! {
        <details class="silence-form">
            <summary>"New silence"</summary>
            <form method="post" action="/rpc/add_silence" aria-label="New silence">
                {field("Matchers", "matchers", String::new(), "{site=\"north\", alertname=~\"boiler.*\"}")}
                {field("For", "lasting", "2h".into(), "2h")}
                {field("Who", "created_by", String::new(), "your name")}
                {field("Why", "comment", String::new(), "boiler serviced")}
                <button type="submit" class="primary">"Silence"</button>
            </form>
        </details>
    }
}
