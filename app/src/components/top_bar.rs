//! The bar over every live page: the name, the page links, the range and
//! refresh pickers (kept in the URL) and the status of the data.

use super::{CustomRange, PageNav, PollStatusLine, RangePicker, RefreshPicker};
use crate::domain::DashboardView;
use crate::pages::PollStatus;
use leptos::prelude::*;

#[component]
pub fn TopBar(
    /// The page, as [`PageNav`] marks it.
    current: &'static str,
    view: Memo<DashboardView>,
    status: RwSignal<PollStatus>,
    /// More of the query string the pickers' links keep (`&q=...`).
    #[prop(optional, into)]
    keep: Signal<String>,
) -> impl IntoView {
    view! {
        <header class="topbar">
            <h1 class="brand">"sensorboard"</h1>
            <PageNav current/>
            <RangePicker view keep/>
            <CustomRange view keep/>
            <RefreshPicker view keep/>
            <PollStatusLine status/>
        </header>
    }
}
