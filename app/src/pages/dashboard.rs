//! The dashboard: its panels, live, with the dashboard, range and refresh
//! choices in the URL, and a status line that says whether the data is
//! current.

mod arrange;
mod panel_state;
mod poll;
mod variables;

use crate::api::list_dashboards;
use crate::components::{
    use_time_shortcuts, DashboardNotes, DashboardPicker, EmptyState, ErrorBanner, LegendChoices, LinkedCursor,
    NoteForm, NoteList, Panel, PanelSkeletons, TopBar, ZoomOut,
};
use crate::domain::{encode_query_value, DashboardView, HiddenLines, TimeRange, MIN_ZOOM_MS};
use crate::model::Dashboard;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
pub use panel_state::{PanelState, PollStatus};
pub(crate) use poll::start as start_polling;

/// The view the URL describes.
pub fn use_dashboard_view() -> Memo<DashboardView> {
    let query = use_query_map();
    Memo::new(move |_| {
        let query = query.read();
        DashboardView::from_query(|name| query.get(name))
    })
}

/// The lines the legends hid, as the URL keeps them.
pub fn use_hidden_lines() -> Memo<HiddenLines> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| HiddenLines::from_params(&q.get_all("hide").unwrap_or_default())))
}

/// The values of dashboard variables the URL names (`var-<name>`), in
/// its order.
pub fn use_url_variables() -> Memo<Vec<(String, String)>> {
    let query = use_query_map();
    Memo::new(move |_| {
        query.with(|q| {
            q.into_iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("var-")?.to_owned(), v.to_owned())))
                .collect()
        })
    })
}

/// The query-string part of variable values (`&var-<name>=<value>` each).
fn variables_query_part(values: &[(String, String)]) -> String {
    values
        .iter()
        .map(|(name, value)| format!("&var-{name}={}", encode_query_value(value)))
        .collect()
}

/// What links that change the view keep of the URL: hidden lines and
/// variable values.
fn use_kept_query() -> Signal<String> {
    let hidden = use_hidden_lines();
    let vars = use_url_variables();
    Signal::derive(move || hidden.with(HiddenLines::to_query_part) + &vars.with(|v| variables_query_part(v)))
}

/// Goes to `view`, keeping the lines the legends hid and the variables.
fn use_go_to_view() -> Callback<DashboardView> {
    let navigate = use_navigate();
    let kept = use_kept_query();
    Callback::new(move |v: DashboardView| {
        navigate(&(v.to_query() + &kept.get_untracked()), Default::default());
    })
}

/// Shows the window between two times (a drag, the wheel, a shortcut).
fn use_zoom(view: Memo<DashboardView>) -> Callback<(i64, i64)> {
    let go = use_go_to_view();
    Callback::new(move |(from, to): (i64, i64)| {
        if let Some(zoomed) = view.get_untracked().zoomed(from, to) {
            go.run(zoomed);
        }
    })
}

/// Goes back from a zoomed window to the range preset it came from.
pub fn use_reset_zoom(view: Memo<DashboardView>) -> Callback<()> {
    let go = use_go_to_view();
    Callback::new(move |()| {
        let v = view.get_untracked();
        go.run(v.with_preset(v.preset));
    })
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let view = use_dashboard_view();
    let status = RwSignal::new(PollStatus::Connecting);
    let dashboards = Resource::new(|| (), |_| list_dashboards());
    let keep = use_kept_query();

    view! {
        <TopBar current="dashboards" view status keep/>
        <main class="page">
            <Suspense fallback=|| view! { <PanelSkeletons/> }>
                {move || Suspend::new(async move {
                    match dashboards.await {
                        Ok(list) if list.is_empty() => view! { <EmptyState/> }.into_any(),
                        Ok(list) => view! { <DashboardBody list view status/> }.into_any(),
                        Err(e) => view! { <ErrorBanner what="list the dashboards" message=e.to_string()/> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// The chosen dashboard (the URL's, else the first) with its toolbar.
#[component]
fn DashboardBody(list: Vec<Dashboard>, view: Memo<DashboardView>, status: RwSignal<PollStatus>) -> impl IntoView {
    let list = StoredValue::new(list);
    let chosen = Memo::new(move |_| {
        let wanted = view.with(|v| v.dashboard);
        list.with_value(|l| wanted.and_then(|id| l.iter().position(|d| d.id == id)).unwrap_or(0))
    });
    let range = Memo::new(move |_| view.get().range());
    let refresh = Memo::new(move |_| view.get().refresh_every_ms());
    let reset_zoom = use_reset_zoom(view);
    let go = use_go_to_view();
    let linked = move || view.with(|v| v.linked);
    let link = move |_| go.run(view.get_untracked().with_linked(!linked()));
    let zoom = use_zoom(view);
    view! {
        <div class="toolbar">
            <DashboardPicker list chosen view/>
            {move || {
                let index = chosen.get();
                list.with_value(|l| l.get(index).map(|d| d.id))
                    .map(|id| view! { <a class="button" href=format!("/d/{id}/edit")>"Edit dashboard"</a> })
            }}
            <a class="button" href="/new">"New dashboard"</a>
            <button
                type="button"
                class="button"
                aria-pressed=move || linked().to_string()
                title="Show the crosshair on every panel at once"
                on:click=link
            >
                "Link panels"
            </button>
            <ZoomOut view zoom/>
            <Show when=move || view.with(|v| v.zoom.is_some())>
                <button type="button" class="button" on:click=move |_| reset_zoom.run(())>
                    "Reset zoom"
                </button>
            </Show>
        </div>
        {move || {
            let dashboard = list.with_value(|l| l.get(chosen.get()).cloned());
            dashboard.map(|d| view! { <variables::WithVariables dashboard=d view range refresh status reset_zoom/> })
        }}
    }
}

/// A panel's zoom and its reset: the dashboard's while the panels are
/// linked (Netdata's default), else the panel's own window.
fn panel_zoom(
    state: PanelState,
    view: Memo<DashboardView>,
    zoom: Callback<(i64, i64)>,
    reset_zoom: Callback<()>,
) -> (Callback<(i64, i64)>, Callback<()>) {
    let own = Callback::new(move |(a, b): (i64, i64)| {
        if view.with_untracked(|v| v.linked) {
            zoom.run((a, b));
        } else if a.abs_diff(b) >= MIN_ZOOM_MS as u64 {
            state.own_window.set(Some((a.min(b), a.max(b))));
        }
    });
    let reset = Callback::new(move |()| {
        if state.own_window.get_untracked().is_some() {
            state.own_window.set(None);
        } else {
            reset_zoom.run(());
        }
    });
    (own, reset)
}

/// The panels, and the poller that keeps them current.
#[component]
pub(crate) fn PanelGrid(
    dashboard: Dashboard,
    view: Memo<DashboardView>,
    range: Memo<TimeRange>,
    refresh: Memo<Option<u32>>,
    status: RwSignal<PollStatus>,
    reset_zoom: Callback<()>,
) -> impl IntoView {
    if dashboard.panels.is_empty() {
        let id = dashboard.id;
        return view! {
            <section class="empty">
                <h2>"This dashboard has no panels"</h2>
                <p><a href=format!("/d/{id}/edit")>"Add a panel"</a>" or pick series in the "<a href="/explore">"explorer"</a>"."</p>
            </section>
        }
        .into_any();
    }
    let panels: Vec<PanelState> = dashboard.panels.into_iter().map(PanelState::new).collect();
    let states = StoredValue::new(panels.clone());
    let arranged = arrange::use_arrange(dashboard.id, states);
    let (arrange, arrange_error) = (arranged.arrange, arranged.error);
    let notes = DashboardNotes::new(dashboard.id);
    provide_context(notes);
    poll::start(panels.clone(), Some(notes), range, refresh, status);
    let zoom = use_zoom(view);
    use_time_shortcuts(view, zoom);
    let navigate = use_navigate();
    let vars = use_url_variables();
    provide_context(LegendChoices {
        hidden: use_hidden_lines().into(),
        set: Callback::new(move |h: HiddenLines| {
            navigate(
                &(view.get_untracked().to_query()
                    + &h.to_query_part()
                    + &vars.with_untracked(|v| variables_query_part(v))),
                Default::default(),
            );
        }),
    });
    provide_context(LinkedCursor {
        at: RwSignal::new(None),
        on: Signal::derive(move || view.with(|v| v.linked)),
    });
    view! {
        <NoteForm notes/>
        {move || arrange_error.get().map(|e| view! {
            <p class="banner banner-error" role="alert">{format!("The new layout was not stored: {e}")}</p>
        })}
        <section class="grid" aria-label=dashboard.title>
            {panels
                .into_iter()
                .enumerate()
                .map(|(index, state)| {
                    let (zoom, reset_zoom) = panel_zoom(state, view, zoom, reset_zoom);
                    view! { <Panel state range zoom reset_zoom index arrange/> }
                })
                .collect_view()}
        </section>
        <NoteList notes/>
    }
    .into_any()
}
