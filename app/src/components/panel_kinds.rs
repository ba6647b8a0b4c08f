//! The panel kinds other than the chart: `stat`, each line's latest value
//! as a big number over a sparkline of the window, coloured by the
//! thresholds; `table`, the lines' latest values and times with the
//! window's min, avg and max; and `gauge`, each latest value on a dial.

use super::local_parts;
use crate::domain::{format_instant, gauge_arc, gauge_fraction, sparkline_points};
use crate::model::{PanelLevel, QueryOutcome, Thresholds, ValueAxis};
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

/// The dial's drawing box and radius.
const DIAL_W: f64 = 200.0;
const DIAL_H: f64 = 112.0;
const DIAL_R: f64 = 86.0;

#[component]
pub fn Gauges(
    data: RwSignal<Option<Vec<QueryOutcome>>>,
    names: Memo<Vec<String>>,
    thresholds: Thresholds,
    /// The dial's ends: the axis' minimum (else 0) and maximum (else the
    /// highest of the thresholds and the window).
    axis: ValueAxis,
    format: Callback<Option<f64>, String>,
) -> impl IntoView {
    let dials = move || {
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
                    let min = axis.min.unwrap_or(0.0);
                    let max = axis.max.unwrap_or_else(|| {
                        [thresholds.crit, thresholds.warn, r.and_then(|r| r.stats.max)]
                            .into_iter()
                            .flatten()
                            .fold(min + 1.0, f64::max)
                    });
                    let fraction = last.map_or(0.0, |v| gauge_fraction(v, min, max));
                    let class = match thresholds.level(last) {
                        PanelLevel::Ok => "gauge",
                        PanelLevel::Warn => "gauge gauge-warn",
                        PanelLevel::Crit => "gauge gauge-crit",
                    };
                    let (cx, cy) = (DIAL_W / 2.0, DIAL_R + 8.0);
                    let label = name.clone();
                    view! {
                        <div class=class role="meter" aria-label=label aria-valuemin=min aria-valuemax=max
                            aria-valuenow=last aria-valuetext=format.run(last)>
                            {several.then(|| view! { <p class="stat-name">{name}</p> })}
                            <svg class="gauge-dial" viewBox=format!("0 0 {DIAL_W} {DIAL_H}") aria-hidden="true">
                                <path class="gauge-track" d=gauge_arc(cx, cy, DIAL_R)/>
                                <path class="gauge-fill" d=gauge_arc(cx, cy, DIAL_R) pathLength="100"
                                    stroke-dasharray=format!("{:.2} 100", fraction * 100.0)/>
                            </svg>
                            <p class="stat-value">{format.run(last)}</p>
                            <p class="gauge-ends"><span>{format.run(Some(min))}</span><span>{format.run(Some(max))}</span></p>
                        </div>
                    }
                })
                .collect_view()
        })
    };
    view! { <div class="stats">{dials}</div> }.into_any()
}
