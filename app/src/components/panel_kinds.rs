//! The panel kinds other than the chart: `stat`, each line's latest value
//! as a big number over a sparkline of the window, coloured by the
//! thresholds; and `table`, the lines' latest values and times with the
//! window's min, avg and max.

use super::local_parts;
use crate::domain::{format_instant, sparkline_points};
use crate::model::{PanelLevel, QueryOutcome, Thresholds};
use leptos::prelude::*;

/// The sparkline's drawing box; the SVG stretches it to the tile.
const SPARK_W: f64 = 200.0;
const SPARK_H: f64 = 40.0;

#[component]
pub fn StatTiles(
    data: RwSignal<Option<Vec<QueryOutcome>>>,
    /// The lines' names, in the order of `data`.
    names: Memo<Vec<String>>,
    thresholds: Thresholds,
    /// A value as the panel shows it (precision, unit).
    format: Callback<Option<f64>, String>,
) -> impl IntoView {
    let tiles = move || {
        let names = names.get();
        data.with(|d| {
            let answers = d.as_deref().unwrap_or_default();
            let several = answers.len() > 1;
            answers
                .iter()
                .zip(names)
                .map(|(o, name)| {
                    let r = o.result();
                    let last = r.and_then(|r| r.stats.last);
                    let class = match thresholds.level(last) {
                        PanelLevel::Ok => "stat",
                        PanelLevel::Warn => "stat stat-warn",
                        PanelLevel::Crit => "stat stat-crit",
                    };
                    let line = r.map(|r| sparkline_points(&r.points, SPARK_W, SPARK_H)).unwrap_or_default();
                    let label = name.clone();
                    view! {
                        <div class=class role="group" aria-label=label>
                            {several.then(|| view! { <p class="stat-name">{name}</p> })}
                            <p class="stat-value">{format.run(last)}</p>
                            <svg class="stat-spark" viewBox=format!("0 0 {SPARK_W} {SPARK_H}") preserveAspectRatio="none" aria-hidden="true">
                                <polyline points=line fill="none" stroke="currentColor" stroke-width="1.5"/>
                            </svg>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    view! { <div class="stats">{tiles}</div> }.into_any()
}

#[component]
pub fn LatestTable(
    data: RwSignal<Option<Vec<QueryOutcome>>>,
    names: Memo<Vec<String>>,
    thresholds: Thresholds,
    format: Callback<Option<f64>, String>,
) -> impl IntoView {
    let rows = move || {
        let names = names.get();
        data.with(|d| {
            d.as_deref()
                .unwrap_or_default()
                .iter()
                .zip(names)
                .map(|(o, name)| {
                    let r = o.result();
                    let s = r.map(|r| r.stats.clone()).unwrap_or_default();
                    let at = r
                        .and_then(|r| r.points.last())
                        .map(|p| format_instant(local_parts(p.0)))
                        .unwrap_or_else(|| "–".to_owned());
                    let class = match thresholds.level(s.last) {
                        PanelLevel::Ok => "",
                        PanelLevel::Warn => "cell-warn",
                        PanelLevel::Crit => "cell-crit",
                    };
                    view! {
                        <tr>
                            <th scope="row">{name}</th>
                            <td class=class>{format.run(s.last)}</td>
                            <td>{at}</td>
                            <td>{format.run(s.min)}</td>
                            <td>{format.run(s.avg)}</td>
                            <td>{format.run(s.max)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <div class="latest-wrap">
            <table class="latest" aria-label="Latest values">
                <thead>
                    <tr>
                        <th scope="col">"Series"</th>
                        <th scope="col">"Last"</th>
                        <th scope="col">"At"</th>
                        <th scope="col">"Min"</th>
                        <th scope="col">"Avg"</th>
                        <th scope="col">"Max"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
