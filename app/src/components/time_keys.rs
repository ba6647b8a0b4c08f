//! Moving the shown window without the mouse, as Grafana users expect:
//! `t` then `-` zooms out, `t` then `+` zooms in, `t` then `←` or `→`
//! moves half a window back or on; and a "Zoom out" button.

use crate::domain::{zoom_window, DashboardView};
use leptos::prelude::*;

/// How long after `t` the second key counts, ms.
#[cfg(feature = "browser")]
const SECOND_KEY_MS: i64 = 1_500;

/// The window after a zoom by `factor` around its middle.
fn zoomed_around_middle(view: DashboardView, factor: f64) -> (i64, i64) {
    let (from, to) = view.range().window_at(super::now_ms());
    zoom_window((from, to), from + (to - from) / 2, factor)
}

/// Listens for the `t` shortcuts on the whole page while the caller lives;
/// keys typed into a field, or already handled (a focused chart's arrows),
/// are left alone.
#[cfg(feature = "browser")]
pub fn use_time_shortcuts(view: Memo<DashboardView>, zoom: Callback<(i64, i64)>) {
    use crate::domain::pan_window;
    use wasm_bindgen::JsCast;

    let t_pressed_at = StoredValue::new(i64::MIN / 2);
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if typing || ev.default_prevented() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let now = super::now_ms();
        let key = ev.key();
        if key == "t" {
            t_pressed_at.set_value(now);
            return;
        }
        if now - t_pressed_at.get_value() > SECOND_KEY_MS {
            return;
        }
        t_pressed_at.set_value(i64::MIN / 2);
        let v = view.get_untracked();
        let window = v.range().window_at(now);
        let half = (window.1 - window.0) / 2;
        let next = match key.as_str() {
            "-" | "z" => zoomed_around_middle(v, 2.0),
            "+" | "=" => zoomed_around_middle(v, 0.5),
            "ArrowLeft" => pan_window(window, -half),
            "ArrowRight" => pan_window(window, half),
            _ => return,
        };
        ev.prevent_default();
        zoom.run(next);
    });
    on_cleanup(move || handle.remove());
}

#[cfg(not(feature = "browser"))]
pub fn use_time_shortcuts(_view: Memo<DashboardView>, _zoom: Callback<(i64, i64)>) {}

/// Shows twice the window, around its middle (`t -`).
#[component]
pub fn ZoomOut(view: Memo<DashboardView>, zoom: Callback<(i64, i64)>) -> impl IntoView {
    view! {
        <button
            type="button"
            class="button"
            title="Show twice the time (t then -)"
            on:click=move |_| zoom.run(zoomed_around_middle(view.get_untracked(), 2.0))
        >
            "Zoom out"
        </button>
    }
}
