//! One panel of the editor: title, series (add from the catalogue, remove)
//! or a selection of many, unit, warn and crit thresholds, the value
//! axis, its kind, transform and size, and its place in the dashboard.

use super::selection_form::SelectionForm;
use crate::domain::PanelFields;
use crate::model::MAX_PANEL_SERIES;
use leptos::prelude::*;

/// Panel kinds offered.
const KINDS: &[(&str, &str)] = &[
    ("", "Chart"),
    ("stat", "Stat (big number)"),
    ("table", "Table of latest values"),
    ("gauge", "Gauge"),
    ("timeline", "State timeline"),
];
/// Transforms offered; the server computes them from the stored values.
const TRANSFORMS: &[(&str, &str)] = &[
    ("", "None"),
    ("rate", "Rate per second (counter)"),
    ("derivative", "Derivative per second"),
    ("difference", "Difference"),
    ("moving_avg:1m", "Moving average, 1 min"),
    ("moving_avg:5m", "Moving average, 5 min"),
    ("moving_avg:15m", "Moving average, 15 min"),
    ("moving_avg:1h", "Moving average, 1 h"),
];
/// Widths offered, in columns of the dashboard's 12.
const WIDTHS: &[(&str, &str)] = &[
    ("", "Screen's default"),
    ("3", "Quarter"),
    ("4", "Third"),
    ("6", "Half"),
    ("8", "Two thirds"),
    ("9", "Three quarters"),
    ("12", "Full width"),
];
/// Chart heights offered, CSS pixels.
const HEIGHTS: &[(&str, &str)] = &[
    ("", "Default (220 px)"),
    ("160", "Short (160 px)"),
    ("320", "Tall (320 px)"),
    ("480", "Taller (480 px)"),
    ("720", "Tallest (720 px)"),
];

#[component]
pub fn PanelForm(
    fields: RwSignal<PanelFields>,
    /// 0-based place in the dashboard.
    position: Signal<usize>,
    count: Signal<usize>,
    on_move: Callback<isize>,
    on_remove: Callback<()>,
    /// Series keys the catalogue knows, offered while typing.
    known: StoredValue<Vec<String>>,
) -> impl IntoView {
    let n = move || position.get() + 1;
    let pending = RwSignal::new(String::new());
    // A key typed that the catalogue does not know yet.
    let unknown = RwSignal::new(None::<String>);
    let add_series = move || {
        let key = pending.get_untracked().trim().to_owned();
        if key.is_empty() {
            return;
        }
        unknown.set((!known.with_value(|k| k.contains(&key))).then(|| key.clone()));
        fields.update(|f| {
            if !f.series.contains(&key) && f.series.len() < MAX_PANEL_SERIES {
                f.series.push(key);
            }
        });
        pending.set(String::new());
    };
    let text_field = move |label: &'static str, get: fn(&PanelFields) -> &String, set: fn(&mut PanelFields, String)| {
        view! {
            <label class="field">
                <span>{label}</span>
                <input type="text" prop:value=move || fields.with(|f| get(f).clone())
                    on:input=move |ev| fields.update(|f| set(f, event_target_value(&ev)))/>
            </label>
        }
    };
    let choice = move |label: &'static str,
                       options: &'static [(&'static str, &'static str)],
                       get: fn(&PanelFields) -> &String,
                       set: fn(&mut PanelFields, String)| {
        view! {
            <label class="field">
                <span>{label}</span>
                <select aria-label=label prop:value=move || fields.with(|f| get(f).clone())
                    on:change=move |ev| fields.update(|f| set(f, event_target_value(&ev)))>
                    {options.iter().map(|(value, text)| view! { <option value=*value>{*text}</option> }).collect_view()}
                </select>
            </label>
        }
    };
    view! {
        <fieldset class="panel-form">
            <legend>{move || format!("Panel {}", n())}</legend>
            {text_field("Panel title", |f| &f.title, |f, v| f.title = v)}
            <div class="series-list" role="group" aria-label=move || format!("Series of panel {}", n())>
                {move || {
                    fields.with(|f| f.series.clone()).into_iter().map(|key| {
                        let label = format!("Remove {key}");
                        let k = key.clone();
                        view! {
                            <span class="chip">
                                {key}
                                <button type="button" aria-label=label
                                    on:click=move |_| fields.update(|f| f.series.retain(|s| *s != k))>"×"</button>
                            </span>
                        }
                    }).collect_view()
                }}
            </div>
            <div class="row">
            <label class="field">
                <span>"Add series"</span>
                <input type="text" list="series-options" prop:value=move || pending.get()
                    on:input=move |ev| pending.set(event_target_value(&ev))
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" {
                        ev.prevent_default();
                        add_series();
                    }/>
            </label>
            <button type="button" on:click=move |_| add_series()>"Add"</button>
            </div>
            {move || unknown.get().map(|key| view! {
                <p class="hint">"No series "<code>{key}</code>" yet; it is added and charts once data arrives."</p>
            })}
            <SelectionForm fields n=Signal::derive(n)/>
            <div class="row">
                {text_field("Unit", |f| &f.unit, |f, v| f.unit = v)}
                {text_field("Warn at", |f| &f.warn, |f, v| f.warn = v)}
                {text_field("Critical at", |f| &f.crit, |f, v| f.crit = v)}
            </div>
            <div class="row">
                {text_field("Axis min", |f| &f.y_min, |f, v| f.y_min = v)}
                {text_field("Axis max", |f| &f.y_max, |f, v| f.y_max = v)}
                <label class="field field-check">
                    <input type="checkbox" prop:checked=move || fields.with(|f| f.log)
                        on:change=move |ev| fields.update(|f| f.log = event_target_checked(&ev))/>
                    <span>"Log scale"</span>
                </label>
                <label class="field field-check">
                    <input type="checkbox" prop:checked=move || fields.with(|f| f.stack)
                        on:change=move |ev| fields.update(|f| f.stack = event_target_checked(&ev))/>
                    <span>"Stack lines"</span>
                </label>
            </div>
            <div class="row">
                {text_field("Value mappings", |f| &f.mappings, |f, v| f.mappings = v)}
                {text_field("Line colours", |f| &f.colors, |f, v| f.colors = v)}
                {text_field("Right axis lines", |f| &f.right_axis, |f, v| f.right_axis = v)}
            </div>
            <p class="hint">"Mappings show values as words: "<code>"0=off, 1=on #16a34a"</code>". Colours in line order: "<code>"#2563eb, , #dc2626"</code>". Right axis: line numbers, e.g. "<code>"2"</code>"."</p>
            <div class="row">
                {choice("Kind", KINDS, |f| &f.kind, |f, v| f.kind = v)}
                {choice("Transform", TRANSFORMS, |f| &f.transform, |f, v| f.transform = v)}
                {choice("Width", WIDTHS, |f| &f.width, |f, v| f.width = v)}
                {choice("Height", HEIGHTS, |f| &f.height, |f, v| f.height = v)}
            </div>
            <div class="row">
                <button type="button" on:click=move |_| { on_move.run(-1); } disabled=move || { position.get() == 0 }>"Move up"</button>
                <button type="button" on:click=move |_| { on_move.run(1); } disabled=move || { position.get() + 1 >= count.get() }>"Move down"</button>
                <button type="button" class="danger" on:click=move |_| { on_remove.run(()); }>"Remove panel"</button>
            </div>
        </fieldset>
    }
    .into_any()
}
