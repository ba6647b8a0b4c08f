//! Light and dark themes: the system setting by default, and a toggle
//! whose choice is remembered in the browser (`localStorage`) and applied
//! as `data-theme` on `<html>`, which the stylesheet follows. Charts read
//! [`ThemeState`] so they redraw in the new colours.

use leptos::prelude::*;

/// Whether the page is dark now; provided by `App`.
#[derive(Clone, Copy)]
pub struct ThemeState(pub RwSignal<bool>);

impl ThemeState {
    /// The state for the page: light until the browser says otherwise.
    pub fn provide() -> ThemeState {
        let state = ThemeState(RwSignal::new(false));
        provide_context(state);
        #[cfg(feature = "browser")]
        Effect::new(move |_| state.0.set(crate::browser::theme::is_dark()));
        state
    }
}

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let dark = use_context::<ThemeState>()
        .map(|t| t.0)
        .unwrap_or_else(|| RwSignal::new(false));
    let label = move || if dark.get() { "Light theme" } else { "Dark theme" };
    let toggle = move |_| {
        let next = !dark.get_untracked();
        #[cfg(feature = "browser")]
        crate::browser::theme::choose(next);
        dark.set(next);
    };
    view! {
        <button type="button" class="theme-toggle" on:click=toggle title="Switch between light and dark">
            {label}
        </button>
    }
}
