//! A dashboard's variables: a drop-down per variable over its label's
//! values (from the series index), the value in the URL (`var-<name>`),
//! and the panels drawn with the values put in.

use super::{use_hidden_lines, use_url_variables, variables_query_part, PanelGrid, PollStatus};
use crate::api::label_values;
use crate::components::use_hydrated;
use crate::domain::{with_variables, DashboardView, TimeRange};
use crate::model::{Dashboard, DashboardVariable};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Most values a drop-down offers.
const MAX_OFFERED: usize = 200;

#[component]
pub fn WithVariables(
    dashboard: Dashboard,
    view: Memo<DashboardView>,
    range: Memo<TimeRange>,
    refresh: Memo<Option<u32>>,
    status: RwSignal<PollStatus>,
    reset_zoom: Callback<()>,
) -> impl IntoView {
    if dashboard.variables.is_empty() {
        return view! { <PanelGrid dashboard view range refresh status reset_zoom/> }.into_any();
    }
    let variables = StoredValue::new(dashboard.variables.clone());
    let offered: Vec<LocalResource<Vec<String>>> = dashboard.variables.iter().map(offered_values).collect();
    let from_url = use_url_variables();
    // The offered values arrive in the browser only: until the page is
    // live it must render exactly what the server did, without them.
    let live = use_hydrated();
    let offered_now = move |o: &LocalResource<Vec<String>>| if live.get() { o.get() } else { None };
    let values = {
        let offered = offered.clone();
        Memo::new(move |_| {
            variables.with_value(|vs| {
                vs.iter()
                    .zip(&offered)
                    .map(|(v, o)| {
                        let chosen = from_url.with(|u| u.iter().find(|(n, _)| *n == v.name).map(|(_, x)| x.clone()));
                        let value = chosen
                            .or_else(|| v.default.clone())
                            .or_else(|| offered_now(o).and_then(|l| l.first().cloned()))
                            .unwrap_or_default();
                        (v.name.clone(), value)
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let navigate = use_navigate();
    let hidden = use_hidden_lines();
    let choose = Callback::new(move |(name, value): (String, String)| {
        let mut next = values.get_untracked();
        if let Some(slot) = next.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = value;
        }
        let query = view.get_untracked().to_query() + &hidden.get_untracked().to_query_part();
        navigate(&(query + &variables_query_part(&next)), Default::default());
    });
    let pickers = variables.with_value(|vs| {
        vs.iter()
            .zip(offered)
            .map(|(v, o)| {
                let name = v.name.clone();
                let current = {
                    let name = name.clone();
                    move || values.with(|vals| vals.iter().find(|(n, _)| *n == name).map(|(_, x)| x.clone()))
                };
                let on_change = {
                    let name = name.clone();
                    move |ev| choose.run((name.clone(), event_target_value(&ev)))
                };
                view! {
                    <label class="field variable">
                        <span>{format!("${name}")}</span>
                        <select aria-label=format!("${name}") on:change=on_change>
                            {move || {
                                let mut list = offered_now(&o).unwrap_or_default();
                                let chosen = current();
                                // The chosen value stays offered even when the index no longer has it.
                                if let Some(c) = chosen.clone().filter(|c| !c.is_empty() && !list.contains(c)) {
                                    list.insert(0, c);
                                }
                                // The chosen one is marked, so the select shows it
                                // whichever arrives first, options or choice.
                                list.into_iter().map(|value| {
                                    let (text, selected) = (value.clone(), chosen.as_ref() == Some(&value));
                                    view! { <option value=value selected=selected>{text}</option> }
                                }).collect_view()
                            }}
                        </select>
                    </label>
                }
            })
            .collect_view()
    });
    view! {
        <div class="toolbar variables" role="group" aria-label="Variables">{pickers}</div>
        {move || {
            let values = values.get();
            let d = with_variables(dashboard.clone(), &values);
            view! { <PanelGrid dashboard=d view range refresh status reset_zoom/> }
        }}
    }
    .into_any()
}

/// The values a variable's drop-down offers, from the series index;
/// loaded in the browser, so the page and its panels do not wait for
/// them (the chosen value is offered meanwhile).
fn offered_values(v: &DashboardVariable) -> LocalResource<Vec<String>> {
    let (label, select) = (v.label.clone(), v.select.clone());
    LocalResource::new(move || {
        let (label, select) = (label.clone(), select.clone());
        async move {
            label_values(label, String::new(), select)
                .await
                .map(|list| list.into_iter().take(MAX_OFFERED).map(|l| l.value).collect())
                .unwrap_or_default()
        }
    })
}
