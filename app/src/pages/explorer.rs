//! The series explorer (`/explore?q=&select=&after=&series=`): a debounced
//! search over the catalogue narrowed by label filters (a selector built
//! from the label names and values the index suggests), a paged,
//! keyboard-navigable list with last value, unit and a sparkline of the
//! last hour, and the chosen series full-size with "add to dashboard".

mod detail;
mod label_filter;
mod results;

use super::dashboard::use_dashboard_view;
use super::PollStatus;
use crate::components::{use_hydrated, TopBar};
use crate::domain::encode_query_value;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::NavigateOptions;

/// Quiet time after the last keystroke before the search runs.
const SEARCH_DEBOUNCE_MS: u32 = 300;

#[component]
pub fn ExplorerPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let select = Memo::new(move |_| query.read().get("select").unwrap_or_default());
    let after = Memo::new(move |_| query.read().get("after").filter(|s| !s.is_empty()));
    let selected = Memo::new(move |_| query.read().get("series").filter(|s| !s.is_empty()));
    let view = use_dashboard_view();
    // Polling runs only while a series is chosen.
    let status = RwSignal::new(PollStatus::Idle);
    Effect::new(move |_| {
        if selected.get().is_none() {
            status.set(PollStatus::Idle);
        }
    });
    // What the range and refresh links keep of this page's own state.
    let keep = Signal::derive(move || {
        explore_params(
            &q.get(),
            &select.get(),
            after.get().as_deref(),
            selected.get().as_deref(),
        )
    });

    view! {
        <TopBar current="explore" view status keep/>
        <main class="page explorer">
            <div class="row explorer-search">
                <SearchBox q select view selected/>
                <label_filter::LabelFilter q select view selected/>
            </div>
            <div class="explorer-body">
                <results::SeriesResults q select after view selected/>
                {move || selected.get().map(|key| view! { <detail::SeriesDetail key view status keep/> })}
            </div>
        </main>
    }
}

/// `&q=..&select=..&after=..&series=..` for the parts that are set: the
/// explorer's state besides the time range.
fn explore_params(q: &str, select: &str, after: Option<&str>, series: Option<&str>) -> String {
    let mut out = String::new();
    if !q.is_empty() {
        out.push_str("&q=");
        out.push_str(&encode_query_value(q));
    }
    if !select.is_empty() {
        out.push_str("&select=");
        out.push_str(&encode_query_value(select));
    }
    for (name, value) in [("after", after), ("series", series)] {
        if let Some(value) = value {
            out.push('&');
            out.push_str(name);
            out.push('=');
            out.push_str(&encode_query_value(value));
        }
    }
    out
}

/// The search box. Typing updates the URL (replacing the history entry)
/// once typing pauses, so the search runs once per pause, not per key.
#[component]
fn SearchBox(
    q: Memo<String>,
    select: Memo<String>,
    view: Memo<crate::domain::DashboardView>,
    selected: Memo<Option<String>>,
) -> impl IntoView {
    let go = use_explore(view, selected);
    let search = move |text: String| go(&text, &select.get_untracked());
    let debounced = debounce(SEARCH_DEBOUNCE_MS, search);
    let live = use_hydrated();
    view! {
        <label class="field search">
            <span>"Search series"</span>
            <input type="search" placeholder="name or label, e.g. temp" prop:value=move || q.get() disabled=move || !live.get()
                on:input=move |ev| debounced(event_target_value(&ev)) on:keydown=into_results/>
        </label>
    }
}

/// Goes to the explorer searching `q` among the series of the selector
/// `select` (from the first page), replacing the history entry.
fn use_explore(
    view: Memo<crate::domain::DashboardView>,
    selected: Memo<Option<String>>,
) -> impl Fn(&str, &str) + Clone {
    let navigate = leptos_router::hooks::use_navigate();
    move |q: &str, select: &str| {
        let url = format!(
            "/explore{}{}",
            view.get_untracked().to_query(),
            explore_params(q, select, None, selected.get_untracked().as_deref())
        );
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    }
}

/// ArrowDown in the search box moves on to the first result.
fn into_results(ev: leptos::ev::KeyboardEvent) {
    if ev.key() == "ArrowDown" {
        ev.prevent_default();
        #[cfg(feature = "browser")]
        crate::browser::focus_first(results::LIST_LINKS);
    }
}

/// `f` called `ms` after the last of a burst of calls, with its argument.
#[cfg(feature = "browser")]
fn debounce(ms: u32, f: impl Fn(String) + Clone + 'static) -> impl Fn(String) + Clone + 'static {
    use gloo_timers::callback::Timeout;
    let pending = StoredValue::new_local(None::<Timeout>);
    move |text: String| {
        let f = f.clone();
        // Replacing the timeout drops (cancels) the previous one.
        pending.set_value(Some(Timeout::new(ms, move || f(text))));
    }
}

#[cfg(not(feature = "browser"))]
fn debounce(_ms: u32, f: impl Fn(String) + Clone + 'static) -> impl Fn(String) + Clone + 'static {
    f
}
