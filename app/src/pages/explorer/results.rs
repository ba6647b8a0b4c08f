//! The explorer's list: a page of the series matching the search and the
//! label filter, each with its last value, unit and a sparkline of the
//! last hour, and a link to the next page. Arrow keys move between rows;
//! Enter opens one.

use crate::api::{list_series, query_batch};
use crate::components::ErrorBanner;
use crate::domain::{format_value, sparkline_points, DashboardView, TimeSpec};
use crate::model::{Agg, QueryOutcome, QueryRequest, Resolution, SeriesInfo, SeriesQuery};
use leptos::prelude::*;

/// The list's class, and its links, into which the search box moves the
/// focus.
pub const LIST_CLASS: &str = "series-list-results";
#[cfg(feature = "browser")]
pub const LIST_LINKS: &str = ".series-list-results a";
/// Rows listed per page.
const LIST_LIMIT: usize = 100;
const SPARK_W: f64 = 120.0;
const SPARK_H: f64 = 28.0;

#[component]
pub fn SeriesResults(
    q: Memo<String>,
    select: Memo<String>,
    after: Memo<Option<String>>,
    view: Memo<DashboardView>,
    selected: Memo<Option<String>>,
) -> impl IntoView {
    let found = Resource::new(
        move || (q.get(), select.get(), after.get()),
        |(filter, select, after)| async move {
            let list = list_series(SeriesQuery {
                filter,
                select: Some(select).filter(|s| !s.is_empty()),
                after,
                limit: LIST_LIMIT,
            })
            .await?;
            let queries = list
                .iter()
                .map(|s| QueryRequest {
                    series: s.key.clone(),
                    from: TimeSpec::FromNow(-3_600_000),
                    to: TimeSpec::FromNow(0),
                    points: 2 * SPARK_W as usize,
                    agg: Agg::Auto,
                    resolution: Resolution::Auto,
                    ..Default::default()
                })
                .collect();
            let sparks = if list.is_empty() {
                Vec::new()
            } else {
                query_batch(queries).await.unwrap_or_default()
            };
            Ok::<_, crate::api::AppError>((list, sparks))
        },
    );
    // One box: the list and its page links are one item of the
    // explorer's grid, beside the chosen chart.
    view! {
        <div class="explorer-results">
        <Suspense fallback=|| view! { <p class="hint">"Searching…"</p> }>
            {move || Suspend::new(async move {
                match found.await {
                    Ok((list, _)) if list.is_empty() => view! {
                        <p class="hint" role="status">{format!("No series matches “{}”.", q.get_untracked())}</p>
                    }.into_any(),
                    Ok((list, sparks)) => {
                        let next = (list.len() == LIST_LIMIT).then(|| list.last().map(|s| s.key.clone())).flatten();
                        let rows = list.into_iter().zip(sparks.into_iter().map(Some).chain(std::iter::repeat(None)));
                        view! {
                            <ul class=LIST_CLASS aria-label="Series" on:keydown=arrow_keys>
                                {rows.map(|(info, spark)| view! { <Row info spark view selected q select after/> }).collect_view()}
                            </ul>
                            <Pages q select after next view/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBanner what="search the series" message=e.to_string()/> }.into_any(),
                }
            })}
        </Suspense>
        </div>
    }
}

/// Links to the first and the next page of the list.
#[component]
fn Pages(
    q: Memo<String>,
    select: Memo<String>,
    after: Memo<Option<String>>,
    next: Option<String>,
    view: Memo<DashboardView>,
) -> impl IntoView {
    let page = move |after: Option<&str>| {
        format!(
            "/explore{}{}",
            view.get().to_query(),
            super::explore_params(&q.get(), &select.get(), after, None)
        )
    };
    let first = move || {
        after
            .get()
            .is_some()
            .then(|| view! { <a class="button" href=page(None)>"First page"</a> })
    };
    let next = next.map(|key| view! { <a class="button" href=move || page(Some(&key))>"Next page"</a> });
    view! { <nav class="pages" aria-label="Pages">{first}{next}</nav> }
}

#[component]
fn Row(
    info: SeriesInfo,
    spark: Option<QueryOutcome>,
    view: Memo<DashboardView>,
    selected: Memo<Option<String>>,
    q: Memo<String>,
    select: Memo<String>,
    after: Memo<Option<String>>,
) -> impl IntoView {
    let key = info.key.clone();
    // Choosing a series keeps the search, the filter and the page.
    let href = {
        let key = key.clone();
        move || {
            format!(
                "/explore{}{}",
                view.get().to_query(),
                super::explore_params(&q.get(), &select.get(), after.get().as_deref(), Some(&key))
            )
        }
    };
    let current = {
        let key = key.clone();
        move || (selected.get().as_deref() == Some(key.as_str())).then_some("page")
    };
    let last = match (info.last_value, &info.unit) {
        (Some(v), Some(u)) => format!("{} {u}", format_value(v)),
        (Some(v), None) => format_value(v),
        (None, _) => "–".to_owned(),
    };
    let line = match spark {
        Some(QueryOutcome::Ok(r)) => sparkline_points(&r.points, SPARK_W, SPARK_H),
        _ => String::new(),
    };
    view! {
        <li>
            <a href=href aria-current=current>
                <span class="result-key">{key}</span>
                <svg class="sparkline" viewBox=format!("0 0 {SPARK_W} {SPARK_H}") height=SPARK_H preserveAspectRatio="none" aria-hidden="true">
                    <polyline points=line fill="none" stroke="currentColor" stroke-width="1.2"/>
                </svg>
                <span class="result-last">{last}</span>
            </a>
        </li>
    }
}

/// Up and down arrows move the focus between the rows' links.
fn arrow_keys(ev: leptos::ev::KeyboardEvent) {
    let delta = match ev.key().as_str() {
        "ArrowDown" => 1,
        "ArrowUp" => -1,
        _ => return,
    };
    ev.prevent_default();
    #[cfg(feature = "browser")]
    crate::browser::move_focus_among_links(&ev, delta);
    #[cfg(not(feature = "browser"))]
    let _ = delta;
}
