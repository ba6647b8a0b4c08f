//! The custom window of the time-range picker: two local date-times and
//! "Apply", which shows that fixed window (as a drag-zoom does). It opens
//! on the window shown, closes on Escape and once applied.

use super::{local_parts, use_hydrated};
use crate::domain::{format_datetime_local, DashboardView};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn CustomRange(
    view: Memo<DashboardView>,
    /// More of the query string to keep (`&q=...`), and the path to go to.
    #[prop(optional, into)]
    keep: Signal<String>,
) -> impl IntoView {
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let navigate = use_navigate();
    let live = use_hydrated();
    // Opening starts from the window shown. On the summary's click (a key
    // on the summary clicks it too), before the box opens: the `toggle`
    // event comes later, after what is typed first.
    let on_open = move |ev: leptos::ev::MouseEvent| {
        if !details_open(&ev) {
            let (a, b) = view.get_untracked().range().window_at(super::now_ms());
            from.set(format_datetime_local(local_parts(a)));
            to.set(format_datetime_local(local_parts(b)));
            error.set(None);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            close_details(&ev);
        }
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(a), Some(b)) = (local_ms(&from.get_untracked()), local_ms(&to.get_untracked())) else {
            error.set(Some("enter both times"));
            return;
        };
        if b <= a {
            error.set(Some("the end must be after the start"));
            return;
        }
        match view.get_untracked().zoomed(a, b) {
            Some(v) => {
                error.set(None);
                close_details(&ev);
                navigate(&(v.to_query() + &keep.get_untracked()), Default::default());
            }
            None => error.set(Some("the window must be at least a second")),
        }
    };
    view! {
        <details class="custom-range" on:keydown=on_key>
            <summary on:click=on_open>"Custom"</summary>
            <form on:submit=apply aria-label="Custom time range">
                <fieldset class="plain" disabled=move || !live.get()>
                <label class="field">
                    <span>"From"</span>
                    <input type="datetime-local" step="1" prop:value=move || from.get()
                        on:input=move |ev| from.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>"To"</span>
                    <input type="datetime-local" step="1" prop:value=move || to.get()
                        on:input=move |ev| to.set(event_target_value(&ev))/>
                </label>
                <button type="submit">"Apply"</button>
                {move || error.get().map(|e| view! { <span class="panel-error" role="alert">{e}</span> })}
                </fieldset>
            </form>
        </details>
    }
}

/// Epoch ms of a `datetime-local` value, read in the viewer's zone.
#[cfg(feature = "browser")]
fn local_ms(value: &str) -> Option<i64> {
    if value.is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value)).get_time();
    ms.is_finite().then_some(ms as i64)
}

#[cfg(not(feature = "browser"))]
fn local_ms(_value: &str) -> Option<i64> {
    None
}

/// Whether the `<details>` an event happened in is open.
#[cfg(feature = "browser")]
fn details_open(ev: &leptos::ev::Event) -> bool {
    crate::browser::enclosing_details(ev).is_some_and(|d| d.has_attribute("open"))
}

#[cfg(not(feature = "browser"))]
fn details_open(_ev: &leptos::ev::Event) -> bool {
    false
}

/// Closes the `<details>` an event happened in.
#[cfg(feature = "browser")]
fn close_details(ev: &leptos::ev::Event) {
    if let Some(d) = crate::browser::enclosing_details(ev) {
        let _ = d.remove_attribute("open");
    }
}

#[cfg(not(feature = "browser"))]
fn close_details(_ev: &leptos::ev::Event) {}
