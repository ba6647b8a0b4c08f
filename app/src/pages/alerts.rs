//! `/alerts`: the alert instances by state and severity (filtered by the
//! URL's `state` and `severity`), the rules with a form to add one (filled
//! in from a panel's "Alert" link), silences, contact points with "Send
//! test", and the recent deliveries. Read again every few seconds. The
//! changes are plain form posts that come back here with `done=` or
//! `error=` (see `api::alert_forms`).

mod contact_points;
mod forms;
mod instances;
mod rule_form;
mod silences;

use super::dashboard::use_dashboard_view;
use super::PollStatus;
use crate::api::load_alerts;
use crate::components::{ErrorBanner, TopBar};
use crate::model::AlertOverview;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// How often the page reads the alerts again, in milliseconds.
#[cfg(feature = "browser")]
const REFRESH_MS: u32 = 5_000;

#[component]
pub fn AlertsPage() -> impl IntoView {
    let view = use_dashboard_view();
    let status = RwSignal::new(PollStatus::Idle);
    // Bumped by the timer to read the overview again.
    let reload = RwSignal::new(0u32);
    let query = use_query_map();
    let overview = Resource::new(move || reload.get(), |_| load_alerts());
    #[cfg(feature = "browser")]
    leptos::task::spawn_local(async move {
        loop {
            gloo_timers::future::TimeoutFuture::new(REFRESH_MS).await;
            if reload.try_update(|v| *v += 1).is_none() {
                return;
            }
        }
    });
    let filter = move |name: &'static str| Memo::new(move |_| query.read().get(name).unwrap_or_default());
    let (state, severity) = (filter("state"), filter("severity"));
    let (done, error) = (filter("done"), filter("error"));
    let shown = move |render: fn(AlertOverview, (String, String)) -> AnyView| {
        move || {
            Suspend::new(async move {
                match overview.await {
                    Ok(o) => render(o, (state.get(), severity.get())),
                    Err(e) => view! { <ErrorBanner what="list the alerts" message=e.to_string()/> }.into_any(),
                }
            })
        }
    };
    view! {
        <TopBar current="alerts" view status/>
        <main class="page alerts">
            {move || Some(done.get()).filter(|d| !d.is_empty()).map(|d| view! { <p class="banner" role="status">{d}</p> })}
            {move || Some(error.get()).filter(|e| !e.is_empty()).map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            <section aria-labelledby="instances-title">
                <h2 id="instances-title">"Alert instances"</h2>
                <instances::Filters state severity/>
                <Transition fallback=|| view! { <p class="hint">"Loading…"</p> }>
                    {shown(|o, (state, severity)| view! { <instances::InstanceTable overview=o state severity/> }.into_any())}
                </Transition>
            </section>
            <section aria-labelledby="rules-title">
                <h2 id="rules-title">"Rules"</h2>
                <Transition fallback=|| ()>
                    {shown(|o, _| view! { <rule_form::RuleList rules=o.rules/> }.into_any())}
                </Transition>
                <rule_form::RuleForm/>
            </section>
            <section aria-labelledby="silences-title">
                <h2 id="silences-title">"Silences"</h2>
                <Transition fallback=|| ()>
                    {shown(|o, _| view! { <silences::SilenceList silences=o.silences/> }.into_any())}
                </Transition>
                <silences::SilenceForm/>
            </section>
            <section aria-labelledby="contacts-title">
                <h2 id="contacts-title">"Contact points"</h2>
                <Transition fallback=|| ()>
                    {shown(|o, _| view! { <contact_points::ContactList overview=o/> }.into_any())}
                </Transition>
                <contact_points::ContactForm/>
            </section>
        </main>
    }
}
