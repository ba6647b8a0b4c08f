//! The explorer's label filter: a selector to narrow the list to, typed or
//! built by picking a label name and then one of its values (each with how
//! many of the listed series carry it), as the catalogue's index suggests.

use crate::api::{label_names, label_values};
use crate::components::{use_fetched, use_hydrated};
use crate::domain::{DashboardView, Selector};
use crate::model::LabelValue;
use leptos::prelude::*;

#[component]
pub fn LabelFilter(
    q: Memo<String>,
    select: Memo<String>,
    view: Memo<DashboardView>,
    selected: Memo<Option<String>>,
) -> impl IntoView {
    let go = super::use_explore(view, selected);
    let live = use_hydrated();
    let chosen = RwSignal::new(String::new());
    let names = use_fetched(
        || (),
        |_| async { label_names(String::new()).await.unwrap_or_default() },
    );
    // The chosen label's values among the series listed.
    let values = use_fetched(
        move || (chosen.get(), select.get()),
        |(label, select)| async move {
            if label.is_empty() {
                return Vec::new();
            }
            label_values(label, String::new(), Some(select).filter(|s| !s.is_empty()))
                .await
                .unwrap_or_default()
        },
    );
    let apply = {
        let go = go.clone();
        move |text: String| go(&q.get_untracked(), text.trim())
    };
    let pick = {
        let go = go.clone();
        move |value: String| {
            let narrowed = Selector::narrowed(&select.get_untracked(), &chosen.get_untracked(), &value);
            go(&q.get_untracked(), &narrowed);
        }
    };
    let clear = move |_| go(&q.get_untracked(), "");
    let value_list = move |found: Vec<LabelValue>| {
        let pick = pick.clone();
        let items = found.into_iter().map(move |v| {
            let pick = pick.clone();
            let value = v.value.clone();
            let label = format!("{} ({} series)", v.value, v.series);
            view! {
                <li>
                    <button type="button" class="chip" aria-label=label on:click=move |_| pick(value.clone())>
                        {v.value.clone()} <span class="count">{v.series}</span>
                    </button>
                </li>
            }
        });
        view! { <ul class="label-values" aria-label="Label values">{items.collect_view()}</ul> }
    };
    view! {
        <div class="label-filter">
            <label class="field">
                <span>"Filter by labels"</span>
                <input type="text" placeholder="e.g. fleet.f3{site=\"s2\"}" prop:value=move || select.get()
                    disabled=move || !live.get()
                    on:change=move |ev| apply(event_target_value(&ev))/>
            </label>
            <span>
                {move || (!select.get().is_empty()).then(|| view! {
                    <button type="button" on:click=clear.clone()>"Clear filter"</button>
                })}
            </span>
            // Made in the browser only: a `<select>` whose options change
            // does not hydrate. Each part that comes and goes has an
            // element of its own to hydrate in.
            <span>{move || live.get().then(|| view! {
                <label class="field">
                    <span>"Label"</span>
                    <select on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <option value="">"choose…"</option>
                        {move || names.get().into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
                    </select>
                </label>
            })}</span>
            <div class="label-values-box">
                {move || {
                    let found = values.get();
                    (!found.is_empty()).then(|| value_list.clone()(found))
                }}
            </div>
        </div>
    }
    .into_any()
}
