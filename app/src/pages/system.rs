//! `/system`: the server's own figures over time (request latency
//! quantiles, request and ingest rates, cache hit rate, memory, database
//! size), drawn by the dashboard's panels from the `sensorboard.*` series
//! the server records, and its slowest recent queries.

use super::dashboard::{use_dashboard_view, use_reset_zoom, PanelGrid};
use super::PollStatus;
use crate::api::slow_queries;
use crate::components::{ErrorBanner, SlowQueryTable, TopBar};
use crate::model::system_dashboard;
use leptos::prelude::*;

#[component]
pub fn SystemPage() -> impl IntoView {
    let view = use_dashboard_view();
    let status = RwSignal::new(PollStatus::Connecting);
    let range = Memo::new(move |_| view.get().range());
    let refresh = Memo::new(move |_| view.get().refresh_every_ms());
    let reset_zoom = use_reset_zoom(view);
    // Read again after every poll of the charts.
    let polled = move || match status.get() {
        PollStatus::Live { at_ms } | PollStatus::Loaded { at_ms } => at_ms,
        _ => 0,
    };
    let slow = Resource::new(polled, |_| slow_queries());

    view! {
        <TopBar current="system" view status/>
        <main class="page system">
            <p class="hint">
                "This server's own figures, recorded every 10 s as series named "
                <code>"sensorboard.*"</code>" (the same and more in "<a href="/metrics">"/metrics"</a>")."
            </p>
            <PanelGrid dashboard=system_dashboard() view range refresh status reset_zoom/>
            <section class="slow" aria-labelledby="slow-title">
                <h2 id="slow-title">"Slowest queries of the last 15 minutes"</h2>
                <Transition fallback=|| view! { <p class="hint">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match slow.await {
                            Ok(list) => view! { <SlowQueryTable list/> }.into_any(),
                            Err(e) => view! { <ErrorBanner what="list the slow queries" message=e.to_string()/> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </main>
    }
}
