//! The refresh-interval choice, kept in the URL next to the range; plain
//! `<a>`s for the same reason as the range picker's.

use crate::domain::{dashboard_query, RangePreset, RefreshChoice};
use leptos::prelude::*;

#[component]
pub fn RefreshPicker(range: Memo<RangePreset>, current: Memo<RefreshChoice>) -> impl IntoView {
    view! {
        <nav class="picker refresh-picker" aria-label="Refresh interval">
            {RefreshChoice::all()
                .iter()
                .map(|&choice| {
                    let selected = move || (current.get() == choice).then_some("page");
                    let href = move || dashboard_query(range.get(), choice);
                    view! {
                        <a href=href title=choice.label aria-current=selected>
                            {choice.key}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
