//! The chosen series full-size, live like a dashboard panel, with "add to
//! dashboard" (a new panel in an existing or a new dashboard, in the editor).

use crate::api::list_dashboards;
use crate::components::Panel;
use crate::domain::{encode_query_value, DashboardView};
use crate::model::{PanelKind, PanelSpec, QueryOutcome, Thresholds};
use crate::pages::{PanelState, PollStatus};
use leptos::prelude::*;

#[component]
pub fn SeriesDetail(
    key: String,
    view: Memo<DashboardView>,
    status: RwSignal<PollStatus>,
    /// The explorer's own state (search, filter, page, this series), kept
    /// by zooming.
    keep: Signal<String>,
) -> impl IntoView {
    let state = PanelState::new(PanelSpec {
        title: key.clone(),
        kind: PanelKind::Chart,
        series: vec![key.clone()],
        unit: None,
        thresholds: Thresholds::default(),
        width: None,
        height: None,
        axis: Default::default(),
        transform: None,
        mappings: Vec::new(),
        colors: Vec::new(),
        stack: false,
        right_axis: Vec::new(),
        selection: None,
    });
    status.set(PollStatus::Connecting);
    let range = Memo::new(move |_| view.get().range());
    let refresh = Memo::new(move |_| view.get().refresh_every_ms());
    crate::pages::dashboard::start_polling(vec![state], None, range, refresh, status);
    let navigate = leptos_router::hooks::use_navigate();
    let zoom = Callback::new(move |(from, to): (i64, i64)| {
        if let Some(z) = view.get_untracked().zoomed(from, to) {
            navigate(
                &format!("/explore{}{}", z.to_query(), keep.get_untracked()),
                Default::default(),
            );
        }
    });
    let navigate = leptos_router::hooks::use_navigate();
    let reset_zoom = Callback::new(move |()| {
        let v = view.get_untracked();
        navigate(
            &format!("/explore{}{}", v.with_preset(v.preset).to_query(), keep.get_untracked()),
            Default::default(),
        );
    });
    let dashboards = Resource::new(|| (), |_| list_dashboards());
    let target = RwSignal::new(String::new());
    let encoded = encode_query_value(&key);
    // The new panel takes the unit the series' answer carries.
    let data = state.data;
    let add_href = move || {
        let unit = data.with(|d| {
            d.iter().flatten().find_map(|o| match o {
                QueryOutcome::Ok(r) => r.unit.as_deref().map(encode_query_value),
                QueryOutcome::Err(_) => None,
            })
        });
        let add = format!(
            "add={encoded}{}",
            unit.map(|u| format!("&unit={u}")).unwrap_or_default()
        );
        match target.get().as_str() {
            "" | "new" => format!("/new?{add}"),
            id => format!("/d/{id}/edit?{add}"),
        }
    };
    view! {
        <section class="series-detail" aria-label="Chosen series">
            <div class="grid grid-wide">
                <Panel state range zoom reset_zoom/>
            </div>
            <div class="toolbar">
                <label class="field">
                    <span>"Dashboard"</span>
                    <select on:change=move |ev| target.set(event_target_value(&ev))>
                        <Suspense>
                            {move || Suspend::new(async move {
                                let list = dashboards.await.unwrap_or_default();
                                if let Some(first) = list.first() {
                                    target.set(first.id.to_string());
                                }
                                view! {
                                    {list.into_iter().map(|d| view! { <option value=d.id.to_string()>{d.title}</option> }).collect_view()}
                                    <option value="new">"A new dashboard"</option>
                                }
                            })}
                        </Suspense>
                    </select>
                </label>
                <a class="button" href=add_href>"Add to dashboard"</a>
            </div>
        </section>
    }
    .into_any()
}
