//! One series: its name, latest value, window summary and chart.

use super::ChartCanvas;
use crate::domain::{format_value, RangePreset};
use crate::model::SeriesInfo;
use crate::pages::PanelState;
use leptos::prelude::*;

#[component]
pub fn Panel(info: SeriesInfo, state: PanelState, range: Memo<RangePreset>) -> impl IntoView {
    let heading_id = format!("panel-{}", slug(&info.key));
    let labelled_by = heading_id.clone();
    let unit = info.unit.clone().unwrap_or_default();
    let with_unit = move |v: Option<f64>| match v {
        Some(v) if unit.is_empty() => format_value(v),
        Some(v) => format!("{} {unit}", format_value(v)),
        None => "–".to_owned(),
    };
    let initial_last = info.last_value;
    let last = {
        let with_unit = with_unit.clone();
        move || {
            with_unit(
                state
                    .data
                    .with(|d| d.as_ref().map(|r| r.stats.last))
                    .unwrap_or(initial_last),
            )
        }
    };
    let summary = move || {
        state.data.with(|d| {
            d.as_ref().map(|r| {
                let s = &r.stats;
                format!(
                    "min {} · avg {} · max {} · {} points",
                    with_unit(s.min),
                    with_unit(s.avg),
                    with_unit(s.max),
                    s.count
                )
            })
        })
    };
    let labels = info
        .labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ");
    let key = info.key.clone();
    let chart_label = Signal::derive(move || format!("Chart of {key}, {}", range.get().label.to_lowercase()));

    view! {
        <article class="panel" aria-labelledby=labelled_by>
            <header class="panel-head">
                <div class="panel-title">
                    <h2 id=heading_id>{info.name.clone()}</h2>
                    <span class="panel-labels">{labels}</span>
                </div>
                <p class="panel-last" aria-label="last value">{last}</p>
            </header>
            <ChartCanvas data=state.data width_px=state.width_px label=chart_label/>
            <footer class="panel-foot">
                {move || match state.error.get() {
                    Some(message) => view! { <span class="panel-error" role="alert">{message}</span> }.into_any(),
                    None => view! { <span>{summary.clone()}</span> }.into_any(),
                }}
            </footer>
        </article>
    }
}

/// An id-safe form of a series key.
fn slug(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}
