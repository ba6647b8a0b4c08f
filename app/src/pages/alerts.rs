//! `/alerts`: the alert instances by state and severity (the URL's
//! `state` and `severity`), the rules with a form to add one (filled in
//! from a panel's "Alert" link), silences, contact points with "Send
//! test", and the recent deliveries; read again every few seconds. The
//! content is HTML the server makes (so the bundle carries no code for
//! it), and every change is a plain form post that comes back here with
//! `done=` or `error=` (see `api::alert_forms`).

use super::dashboard::use_dashboard_view;
use super::PollStatus;
use crate::api::load_alerts;
use crate::components::{ErrorBanner, TopBar};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// How often the page reads the alerts again, in milliseconds.
#[cfg(feature = "browser")]
const REFRESH_MS: u32 = 5_000;

#[component]
pub fn AlertsPage() -> impl IntoView {
    let view = use_dashboard_view();
    let status = RwSignal::new(PollStatus::Idle);
    // Bumped by the timer to read the content again.
    let reload = RwSignal::new(0u32);
    #[cfg(feature = "browser")]
    leptos::task::spawn_local(async move {
        loop {
            gloo_timers::future::TimeoutFuture::new(REFRESH_MS).await;
            if reload.try_update(|v| *v += 1).is_none() {
                return;
            }
        }
    });
    let search = use_location().search;
    let overview = Resource::new(move || (reload.get(), search.get()), |(_, q)| load_alerts(q));
    view! {
        <TopBar current="alerts" view status/>
        // "Notify this browser" (Web Push): a plain script, not wasm.
        <script src="/push.js" defer></script>
        <main class="page alerts">
            <Transition fallback=|| view! { <p class="hint">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => view! { <div inner_html=o.html></div> }.into_any(),
                        Err(e) => view! { <ErrorBanner what="list the alerts" message=e.to_string()/> }.into_any(),
                    }
                })}
            </Transition>
        </main>
    }
}
