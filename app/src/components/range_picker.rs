//! The time-range choice, kept in the URL (`?range=6h`) so a link
//! reproduces the view and back/forward move between ranges. Plain `<a>`s:
//! the router navigates them client-side, and unlike its `<A>` they do not
//! all count as current (they share the path and differ only in the query).

use crate::domain::{dashboard_query, RangePreset, RefreshChoice};
use leptos::prelude::*;

#[component]
pub fn RangePicker(current: Memo<RangePreset>, refresh: Memo<RefreshChoice>) -> impl IntoView {
    view! {
        <nav class="picker range-picker" aria-label="Time range">
            {RangePreset::all()
                .iter()
                .map(|&preset| {
                    let key = preset.key;
                    let selected = move || (current.get().key == key).then_some("page");
                    let href = move || dashboard_query(preset, refresh.get());
                    view! {
                        <a href=href title=preset.label aria-current=selected>
                            {key}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
