//! The dashboard: one live chart per series, range and refresh pickers,
//! and a status line that says whether the data is current.

mod panel_state;
mod poll;

use crate::api::list_series;
use crate::components::{EmptyState, ErrorBanner, Panel, PanelSkeletons, PollStatusLine, RangePicker, RefreshPicker};
use crate::domain::{RangePreset, RefreshChoice};
use crate::model::SeriesInfo;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
pub use panel_state::{PanelState, PollStatus};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let range = Memo::new(move |_| {
        query
            .read()
            .get("range")
            .and_then(|key| RangePreset::from_key(&key))
            .unwrap_or(RangePreset::DEFAULT)
    });
    let refresh = Memo::new(move |_| {
        query
            .read()
            .get("refresh")
            .and_then(|key| RefreshChoice::from_key(&key))
            .unwrap_or(RefreshChoice::DEFAULT)
    });
    let status = RwSignal::new(PollStatus::Connecting);
    let series = Resource::new(|| (), |_| list_series());

    view! {
        <header class="topbar">
            <h1 class="brand">"sensorboard"</h1>
            <RangePicker current=range refresh/>
            <RefreshPicker range current=refresh/>
            <PollStatusLine status/>
        </header>
        <main class="page">
            <Suspense fallback=|| view! { <PanelSkeletons/> }>
                {move || Suspend::new(async move {
                    match series.await {
                        Ok(list) if list.is_empty() => view! { <EmptyState/> }.into_any(),
                        Ok(list) => view! { <PanelGrid list range refresh status/> }.into_any(),
                        Err(e) => view! { <ErrorBanner message=e.to_string()/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// The panels, and the poller that keeps them current.
#[component]
fn PanelGrid(
    list: Vec<SeriesInfo>,
    range: Memo<RangePreset>,
    refresh: Memo<RefreshChoice>,
    status: RwSignal<PollStatus>,
) -> impl IntoView {
    let panels: Vec<PanelState> = list.iter().map(PanelState::new).collect();
    poll::start(panels.clone(), range, refresh, status);
    view! {
        <section class="grid" aria-label="Charts">
            {list
                .into_iter()
                .zip(panels)
                .map(|(info, state)| view! { <Panel info state range/> })
                .collect_view()}
        </section>
    }
}
