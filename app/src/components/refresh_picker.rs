//! The refresh-interval choice, kept in the URL next to the range; plain
//! `<a>`s for the same reason as the range picker's.

use crate::domain::{DashboardView, RefreshChoice};
use leptos::prelude::*;

#[component]
pub fn RefreshPicker(
    view: Memo<DashboardView>,
    /// More of the query string to keep in the links (`&q=...`).
    #[prop(optional, into)]
    keep: Signal<String>,
) -> impl IntoView {
    view! {
        <nav class="picker refresh-picker" aria-label="Refresh interval">
            {RefreshChoice::all()
                .iter()
                .map(|&choice| {
                    let selected = move || view.with(|v| v.custom_refresh_ms.is_none() && v.refresh == choice).then_some("page");
                    let href = move || view.get().with_refresh(choice).to_query() + &keep.get();
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
