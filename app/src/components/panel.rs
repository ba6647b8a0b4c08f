//! One panel: its title, latest value and state against its thresholds,
//! a legend when it charts several series, the chart, and the window's
//! summary or the server's error.

use super::arrange::{Arrange, ResizeHandle};
use super::panel_kinds::{Gauges, LatestTable, StatTiles};
use super::{ChartCanvas, Legend, LegendChoices, LegendLine};
use crate::chart::ChartLooks;
use crate::domain::{format_instant, format_value_in, mapping_for, LegendStats, Severity, TimeRange};
use crate::model::{PanelKind, PanelLevel, QueryOutcome, QueryResult};
use crate::pages::PanelState;
use leptos::prelude::*;

#[component]
pub fn Panel(
    state: PanelState,
    range: Memo<TimeRange>,
    zoom: Callback<(i64, i64)>,
    reset_zoom: Callback<()>,
    /// Position on its dashboard: what the legend's choices are kept under.
    #[prop(optional)]
    index: usize,
    /// Dragging and resizing, on a dashboard.
    #[prop(optional)]
    arrange: Option<Arrange>,
) -> impl IntoView {
    let spec = state.spec.get_value();
    let heading_id = format!("panel-{}", slug(&format!("{}-{}", spec.title, spec.first_name())));
    let labelled_by = heading_id.clone();
    let thresholds = spec.thresholds;
    let fixed_unit = spec.unit.clone();
    let data = state.data;
    // The panel's unit, else the first series' own.
    let unit = Signal::derive(move || {
        fixed_unit
            .clone()
            .or_else(|| data.with(|d| first_ok(d.as_deref()).and_then(|r| r.unit.clone())))
    });
    let looks = ChartLooks::of(&spec);
    // Values are shown as precisely as the window's spread asks for: that
    // of the lines on their axis (left or right).
    let side = StoredValue::new(looks.clone());
    let on_right = move |n: usize| side.with_value(|l| l.on_right(n));
    let spread = move |right: bool| {
        data.with(|d| {
            let on_side = d.iter().flatten().enumerate().filter(|(n, _)| on_right(*n) == right);
            let (lo, hi) =
                on_side
                    .filter_map(|(_, o)| o.result())
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
                        (
                            r.stats.min.map_or(lo, |m| lo.min(m)),
                            r.stats.max.map_or(hi, |m| hi.max(m)),
                        )
                    });
            hi - lo
        })
    };
    let mappings = StoredValue::new(spec.mappings.clone());
    // Each line's unit: the panel's (else its own) on the left-hand
    // axis, its own on the right-hand one.
    let (units_looks, fixed) = (looks.clone(), spec.unit.clone());
    let units = Signal::derive(move || {
        data.with(|d| {
            d.as_deref()
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(n, o)| {
                    let own = o.result().and_then(|r| r.unit.clone());
                    if units_looks.on_right(n) {
                        own
                    } else {
                        fixed.clone().or(own)
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let in_unit = move |v: Option<f64>, unit: Option<String>, right: bool| match (v, unit) {
        (Some(v), _) if mappings.with_value(|m| mapping_for(m, v).is_some()) => {
            mappings.with_value(|m| mapping_for(m, v).map(|(_, m)| m.text.clone()).unwrap_or_default())
        }
        (Some(v), Some(u)) => format!("{} {u}", format_value_in(v, spread(right))),
        (Some(v), None) => format_value_in(v, spread(right)),
        (None, _) => "–".to_owned(),
    };
    let with_unit = move |v: Option<f64>| in_unit(v, unit.get(), false);
    let with_line_unit =
        move |(v, n): (Option<f64>, usize)| in_unit(v, units.with(|u| u.get(n).cloned().flatten()), on_right(n));
    // One line's latest value; several lines' are in the legend, and no
    // one of them speaks for the panel.
    let kind = spec.kind;
    let last = move || {
        data.with(|d| match d.as_deref() {
            Some([QueryOutcome::Ok(r)]) if kind.is_timed() => Some(with_unit(r.stats.last)),
            _ => None,
        })
    };
    let level = Memo::new(move |_| {
        data.with(|d| {
            d.iter()
                .flatten()
                .filter_map(QueryOutcome::result)
                .map(|r| thresholds.level(r.stats.last))
                .max()
                .unwrap_or(PanelLevel::Ok)
        })
    });
    let layout = state.layout;
    let class = move || {
        let width_class = layout.get().0.map(|w| format!(" panel-w-{w}")).unwrap_or_default();
        let level = match level.get() {
            PanelLevel::Ok => "",
            PanelLevel::Warn => " panel-warn",
            PanelLevel::Crit => " panel-crit",
        };
        format!("panel{width_class}{level}")
    };
    let article = NodeRef::<leptos::html::Article>::new();
    let full_screen = move |_| {
        #[cfg(feature = "browser")]
        if let Some(el) = article.get_untracked() {
            crate::browser::toggle_full_screen(&el);
        }
    };
    let badge = move || match level.get() {
        PanelLevel::Ok => None,
        PanelLevel::Warn => Some(view! { <span class="badge badge-warn">"warning"</span> }),
        PanelLevel::Crit => Some(view! { <span class="badge badge-crit">"critical"</span> }),
    };
    // An alert firing on one of the panel's series (from the firing
    // periods among the dashboard's notes).
    let notes = use_context::<super::DashboardNotes>();
    let alert_badge = move || {
        let keys = data.with(|d| d.as_deref().map(super::answer_keys).unwrap_or_default());
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let severity = notes?.firing_on(&keys)?;
        let (class, word) = match severity {
            Severity::Critical => ("badge badge-crit badge-alert", "alert: critical"),
            Severity::Warning => ("badge badge-warn badge-alert", "alert: warning"),
        };
        Some(
            view! { <a class=class href="/alerts?state=firing" title="An alert on this panel's series is firing">{word}</a> },
        )
    };
    // A rule for this panel in one click: its series and thresholds.
    let alert_href = {
        use crate::domain::encode_query_value as q;
        let watch = match &spec.selection {
            Some(sel) => format!("select={}", q(&sel.select)),
            None => format!("series={}", q(spec.series.first().map_or("", String::as_str))),
        };
        let level = |name: &str, v: Option<f64>| v.map(|v| format!("&{name}={v}")).unwrap_or_default();
        format!(
            "/alerts?name={}&{watch}{}{}",
            q(&spec.title),
            level("warning", spec.thresholds.warn),
            level("critical", spec.thresholds.crit)
        )
    };
    let title = spec.title.clone();
    let own_window = state.own_window;
    let chart_label = Signal::derive(move || {
        let window = match own_window.get() {
            Some((from, to)) => TimeRange::Absolute { from, to },
            None => range.get(),
        };
        format!("Chart of {title}, {}", describe(window))
    });
    // Several series name their lines; a selection's lines are known
    // from its answer only.
    let (keys, selection) = (spec.series.clone(), spec.selection.is_some());
    let several = selection || keys.len() > 1;
    let names = Memo::new(move |_| -> Vec<String> {
        data.with(|d| {
            let answers = d.as_deref().unwrap_or_default();
            if selection {
                answers
                    .iter()
                    .map(|o| o.result().map(|r| r.series.clone()).unwrap_or_default())
                    .collect()
            } else {
                keys.clone()
            }
        })
    });
    let choices = use_context::<LegendChoices>().unwrap_or_else(LegendChoices::local);
    let hidden = Signal::derive(move || {
        let names = names.get();
        choices
            .hidden
            .with(|h| names.iter().map(|k| h.is_hidden(index, k)).collect::<Vec<_>>())
    });
    let legend_looks = looks.clone();
    let legend = (several && kind.is_timed()).then(|| {
        let lines = Signal::derive(move || {
            let (names, hidden) = (names.get(), hidden.get());
            data.with(|d| {
                let answers = d.as_deref().unwrap_or_default();
                let stats = |n: usize| {
                    answers
                        .get(n)
                        .and_then(QueryOutcome::result)
                        .map_or_else(LegendStats::default, |r| LegendStats {
                            last: r.stats.last,
                            min: r.stats.min,
                            avg: r.stats.avg,
                            max: r.stats.max,
                        })
                };
                names
                    .into_iter()
                    .enumerate()
                    .map(|(n, name)| LegendLine {
                        n,
                        name,
                        stats: stats(n),
                        hidden: hidden.get(n).copied().unwrap_or(false),
                        color: legend_looks.css_color(n),
                    })
                    .collect::<Vec<_>>()
            })
        });
        let format = Callback::new(with_line_unit);
        let pick = Callback::new(move |(name, alone): (String, bool)| {
            let h = choices.hidden.get_untracked();
            let next = if alone {
                h.isolated(index, &name, &names.get_untracked())
            } else {
                h.toggled(index, &name)
            };
            choices.set.run(next);
        });
        view! { <Legend lines format pick/> }
    });
    let footer = move || {
        data.with(|d| {
            let d = d.as_ref()?;
            if let Some(message) = d.iter().find_map(|o| match o {
                QueryOutcome::Err(e) => Some(e.message.clone()),
                QueryOutcome::Ok(_) => None,
            }) {
                return Some(view! { <span class="panel-error" role="alert">{message}</span> }.into_any());
            }
            let r = first_ok(Some(d))?;
            let text = if let Some(matched) = r.matched {
                let total: u64 = d.iter().filter_map(QueryOutcome::result).map(|r| r.stats.count).sum();
                let shown = d.len();
                match r.more {
                    _ if matched == 0 => "no series matches the selector yet".to_owned(),
                    0 => format!("{shown} lines of {matched} series · {total} points"),
                    more => format!("{shown} lines of {matched} series · {more} more not drawn · {total} points"),
                }
            } else if d.len() == 1 {
                let s = &r.stats;
                format!(
                    "min {} · avg {} · max {} · {} points",
                    with_unit(s.min),
                    with_unit(s.avg),
                    with_unit(s.max),
                    s.count
                )
            } else {
                let total: u64 = d.iter().filter_map(QueryOutcome::result).map(|r| r.stats.count).sum();
                format!("{} series · {total} points", d.len())
            };
            Some(view! { <span>{text}</span> }.into_any())
        })
    };

    view! {
        <article class=class aria-labelledby=labelled_by node_ref=article
            // Set only once moved: the page's CSP refuses a served `style`.
            style:order=move || arrange.and_then(|a| Some(a.place(index)).filter(|&p| p != index)).map(|p| p.to_string())
            on:dragover=move |ev: leptos::ev::DragEvent| {
                if arrange.is_some_and(|a| a.dragging.get_untracked().is_some()) {
                    ev.prevent_default();
                }
            }
            on:drop=move |ev: leptos::ev::DragEvent| {
                let Some(a) = arrange else { return };
                ev.prevent_default();
                if let Some(from) = a.dragging.get_untracked() {
                    a.dragging.set(None);
                    if from != index {
                        a.moved.run((from, index));
                    }
                }
            }>
            <header class="panel-head" draggable=arrange.map(|_| "true")
                title=arrange.map(|_| "Drag to move the panel")
                on:dragstart=move |ev: leptos::ev::DragEvent| {
                    if let Some(a) = arrange {
                        a.dragging.set(Some(index));
                        #[cfg(feature = "browser")]
                        if let Some(t) = ev.data_transfer() {
                            let _ = t.set_data("text/plain", &index.to_string());
                        }
                        #[cfg(not(feature = "browser"))]
                        let _ = ev;
                    }
                }
                on:dragend=move |_| {
                    if let Some(a) = arrange {
                        a.dragging.set(None);
                    }
                }>
                <div class="panel-title">
                    <h2 id=heading_id>{spec.title.clone()}</h2>
                    {badge}
                    {alert_badge}
                    <a class="panel-tool" href=alert_href title="Make an alert rule from this panel's series and thresholds">"Alert"</a>
                    <button type="button" class="panel-tool" title="Show this panel on the whole screen (Escape leaves)"
                        on:click=full_screen>"Full screen"</button>
                    {move || own_window.get().map(|_| view! {
                        <button type="button" class="panel-tool panel-tool-on" title="Back to the dashboard's window"
                            on:click=move |_| reset_zoom.run(())>"Reset panel zoom"</button>
                    })}
                </div>
                <p class="panel-last" aria-label="last value">{last}</p>
            </header>
            {legend}
            {match kind {
                PanelKind::Chart | PanelKind::Timeline => view! {
                    <ChartCanvas data thresholds axis=spec.axis width_px=state.width_px label=chart_label unit zoom reset_zoom hidden height=Signal::derive(move || layout.get().1) looks units/>
                }.into_any(),
                PanelKind::Gauge => view! { <Gauges data names thresholds axis=spec.axis format=Callback::new(with_unit)/> }.into_any(),
                PanelKind::Stat => view! { <StatTiles data names thresholds format=Callback::new(with_unit)/> }.into_any(),
                PanelKind::Table => view! { <LatestTable data names thresholds format=Callback::new(with_unit)/> }.into_any(),
            }}
            <footer class="panel-foot">{footer}</footer>
            {arrange.map(|a| view! { <ResizeHandle layout panel=article done=a.resized/> })}
        </article>
    }
    .into_any()
}

fn first_ok(d: Option<&[QueryOutcome]>) -> Option<&QueryResult> {
    d?.iter().find_map(QueryOutcome::result)
}

/// The window in words, for the chart's accessible name.
fn describe(range: TimeRange) -> String {
    match range {
        TimeRange::Preset(p) => p.label.to_ascii_lowercase(),
        TimeRange::Absolute { from, to } => format!(
            "{} to {}",
            format_instant(super::local_parts(from)),
            format_instant(super::local_parts(to))
        ),
    }
}

/// An id-safe form of a title and key.
fn slug(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}
