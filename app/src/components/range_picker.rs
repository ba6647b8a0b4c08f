//! The time-range choice, kept in the URL (`?range=6h`) so a link
//! reproduces the view and back/forward move between ranges.

use crate::domain::RangePreset;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn RangePicker(current: Memo<RangePreset>) -> impl IntoView {
    view! {
        <nav class="range-picker" aria-label="Time range">
            {RangePreset::all()
                .iter()
                .map(|preset| {
                    let key = preset.key;
                    let selected = move || (current.get().key == key).then_some("page");
                    view! {
                        <A href=format!("?range={key}") attr:title=preset.label attr:aria-current=selected>
                            {key}
                        </A>
                    }
                })
                .collect_view()}
        </nav>
    }
}
