//! The dashboard's variables in the editor: each a name (used as `$name`
//! in panels), the label whose values it offers, optionally a selector
//! narrowing them, and a default value.

use crate::model::{DashboardVariable, MAX_VARIABLES};
use leptos::prelude::*;

#[component]
pub fn VariablesForm(variables: RwSignal<Vec<DashboardVariable>>) -> impl IntoView {
    let field = move |i: usize,
                      label: &'static str,
                      get: fn(&DashboardVariable) -> String,
                      set: fn(&mut DashboardVariable, String)| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input type="text" prop:value=move || variables.with(|v| v.get(i).map(get).unwrap_or_default())
                    on:input=move |ev| variables.update(|v| {
                        if let Some(var) = v.get_mut(i) {
                            set(var, event_target_value(&ev));
                        }
                    })/>
            </label>
        }
    };
    let add = move |_| {
        variables.update(|v| {
            v.push(DashboardVariable {
                name: format!("var{}", v.len() + 1),
                ..DashboardVariable::default()
            })
        })
    };
    view! {
        <fieldset class="panel-form">
            <legend>"Variables"</legend>
            <p class="hint">"Write "<code>"$name"</code>" in a panel's series, selector or title; the dashboard offers the label's values in a drop-down."</p>
            <For each=move || 0..variables.with(Vec::len) key=|i| *i let:i>
                <div class="row" role="group" aria-label=format!("Variable {}", i + 1)>
                    {field(i, "Name", |v| v.name.clone(), |v, s| v.name = s)}
                    {field(i, "Label", |v| v.label.clone(), |v, s| v.label = s)}
                    {field(i, "Of series", |v| v.select.clone().unwrap_or_default(), |v, s| {
                        v.select = Some(s).filter(|s| !s.trim().is_empty())
                    })}
                    {field(i, "Default", |v| v.default.clone().unwrap_or_default(), |v, s| {
                        v.default = Some(s).filter(|s| !s.trim().is_empty())
                    })}
                    <button type="button" class="danger" on:click=move |_| variables.update(|v| {
                        if i < v.len() {
                            v.remove(i);
                        }
                    })>"Remove variable"</button>
                </div>
            </For>
            <p>
                <button type="button" on:click=add disabled=move || variables.with(|v| v.len() >= MAX_VARIABLES)>
                    "Add variable"
                </button>
            </p>
        </fieldset>
    }
    .into_any()
}
