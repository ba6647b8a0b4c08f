//! The part of a panel's form that charts many series: a selector, built
//! by picking a series name and label filters whose names and values the
//! server's index suggests as one types (or typed whole), an aggregation
//! with its grouping labels, and how many lines to draw.

use crate::api::{label_names, label_values};
use crate::components::use_fetched;
use crate::domain::{PanelFields, Selector, NAME_LABEL};
use leptos::prelude::*;

#[component]
pub fn SelectionForm(fields: RwSignal<PanelFields>, n: Signal<usize>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let select = move || fields.with(|f| f.select.trim().to_owned());
    let names = use_fetched(
        move || name.get(),
        |prefix| suggest(NAME_LABEL.to_owned(), prefix, None),
    );
    let labels = use_fetched(
        || (),
        |_| async { label_names(String::new()).await.unwrap_or_default() },
    );
    let values = use_fetched(
        move || (label.get(), value.get(), fields.with(|f| f.select.clone())),
        |(label, prefix, select)| async move {
            if label.is_empty() {
                return Vec::new();
            }
            // Values among the series the selector already names, when it parses.
            let within = Selector::parse(&select).ok().map(|_| select);
            suggest(label, prefix, within).await
        },
    );
    let narrow = move |label: String, value: String| {
        if label.trim().is_empty() || value.trim().is_empty() {
            return;
        }
        fields.update(|f| f.select = Selector::narrowed(&f.select, label.trim(), value.trim()));
    };
    let ids = move |what: &str| format!("{what}-options-{}", n.get());
    let text_field = move |label: &'static str,
                           hint: &'static str,
                           get: fn(&PanelFields) -> &String,
                           set: fn(&mut PanelFields, String)| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input type="text" placeholder=hint prop:value=move || fields.with(|f| get(f).clone())
                    on:input=move |ev| fields.update(|f| set(f, event_target_value(&ev)))/>
            </label>
        }
    };
    let options = |found: Vec<String>| {
        found
            .into_iter()
            .map(|v| view! { <option value=v></option> })
            .collect_view()
    };
    view! {
        <div class="selection-form" role="group" aria-label=move || format!("Selection of panel {}", n.get())>
            <p class="hint">"Or chart many series at once, chosen by their labels:"</p>
            {text_field("Selector", "e.g. fleet.f3{site=\"s2\"}", |f| &f.select, |f, v| f.select = v)}
            <div class="row">
                <label class="field">
                    <span>"Series name"</span>
                    <input type="text" list=move || ids("names") prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <button type="button" on:click=move |_| narrow(NAME_LABEL.to_owned(), name.get_untracked())>"Use name"</button>
            </div>
            <div class="row">
                <label class="field">
                    <span>"Label"</span>
                    <input type="text" list=move || ids("labels") prop:value=move || label.get()
                        on:input=move |ev| label.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>"Value"</span>
                    <input type="text" list=move || ids("values") prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))/>
                </label>
                <button type="button" on:click=move |_| narrow(label.get_untracked(), value.get_untracked())>"Add filter"</button>
            </div>
            <div class="row">
                <label class="field">
                    <span>"Combine"</span>
                    <select prop:value=move || fields.with(|f| f.aggregate.clone())
                        on:change=move |ev| fields.update(|f| f.aggregate = event_target_value(&ev))>
                        <option value="">"a line per series"</option>
                        <option value="avg">"avg"</option>
                        <option value="sum">"sum"</option>
                        <option value="min">"min"</option>
                        <option value="max">"max"</option>
                        <option value="count">"count"</option>
                    </select>
                </label>
                {text_field("Group by", "labels, e.g. site", |f| &f.by, |f, v| f.by = v)}
                {text_field("Lines", "20", |f| &f.lines, |f, v| f.lines = v)}
            </div>
            {move || (!select().is_empty()).then(|| view! { <p class="hint">{format!("Charts {}", select())}</p> })}
            <datalist id=move || ids("names")>{move || options(names.get())}</datalist>
            <datalist id=move || ids("labels")>{move || options(labels.get())}</datalist>
            <datalist id=move || ids("values")>{move || options(values.get())}</datalist>
        </div>
    }
    .into_any()
}

/// Values of `label` starting with `prefix` (within `select`), for a
/// datalist; none when the server cannot say.
async fn suggest(label: String, prefix: String, select: Option<String>) -> Vec<String> {
    label_values(label, prefix, select)
        .await
        .map(|found| found.into_iter().map(|v| v.value).collect())
        .unwrap_or_default()
}
