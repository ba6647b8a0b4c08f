//! The time-range choice, kept in the URL (`?range=6h`) so a link
//! reproduces the view and back/forward move between ranges. Plain `<a>`s:
//! the router navigates them client-side, and unlike its `<A>` they do not
//! all count as current (they share the path and differ only in the query).

use crate::domain::{DashboardView, RangePreset};
use leptos::prelude::*;

#[component]
pub fn RangePicker(
    view: Memo<DashboardView>,
    /// More of the query string to keep in the links (`&q=...`).
    #[prop(optional, into)]
    keep: Signal<String>,
) -> impl IntoView {
    view! {
        <nav class="picker range-picker" aria-label="Time range">
            {RangePreset::all()
                .iter()
                .map(|&preset| {
                    let selected = move || view.with(|v| v.zoom.is_none() && v.preset == preset).then_some("page");
                    let href = move || view.get().with_preset(preset).to_query() + &keep.get();
                    view! {
                        <a href=href title=preset.label aria-current=selected>
                            {preset.key}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
