//! A panel's legend when it charts several lines: each line's colour and
//! name with the window's last, min, avg and max. A click on a line hides
//! or shows it; with Ctrl, ⌘ or Shift held it shows that line alone (again:
//! all of them). A click on a column's header sorts by it, twice turns
//! the order around.

use crate::domain::{legend_order, HiddenLines, LegendColumn, LegendSort, LegendStats};
use leptos::prelude::*;

/// One line of the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendLine {
    /// Position of the line in the panel (its colour).
    pub n: usize,
    pub name: String,
    pub stats: LegendStats,
    pub hidden: bool,
    /// `#rrggbb` when the panel sets the line's colour.
    pub color: Option<String>,
}

#[component]
pub fn Legend(
    #[prop(into)] lines: Signal<Vec<LegendLine>>,
    /// A value of line `n` as the panel shows it (precision, unit).
    format: Callback<(Option<f64>, usize), String>,
    /// A line's name was clicked; `true` when it should show alone.
    pick: Callback<(String, bool)>,
) -> impl IntoView {
    let sort = RwSignal::new(None::<LegendSort>);
    let header = move |column: LegendColumn, label: &'static str| {
        let order = move || match sort.get() {
            Some(s) if s.column == column && s.descending => "descending",
            Some(s) if s.column == column => "ascending",
            _ => "none",
        };
        let by = move |_| sort.update(|s| *s = Some(LegendSort::clicked(*s, column)));
        view! {
            <th scope="col" aria-sort=order>
                <button type="button" class="legend-sort" on:click=by>{label}</button>
            </th>
        }
    };
    let rows = move || {
        lines.with(|lines| {
            let keyed: Vec<_> = lines.iter().map(|l| (l.name.clone(), l.stats)).collect();
            legend_order(&keyed, sort.get())
                .into_iter()
                .map(|i| legend_row(lines[i].clone(), format, pick))
                .collect_view()
        })
    };
    view! {
        <div class="legend-wrap">
            <table class="legend" aria-label="Legend">
                <thead>
                    <tr>
                        {header(LegendColumn::Name, "Series")}
                        {header(LegendColumn::Last, "Last")}
                        {header(LegendColumn::Min, "Min")}
                        {header(LegendColumn::Avg, "Avg")}
                        {header(LegendColumn::Max, "Max")}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn legend_row(
    line: LegendLine,
    format: Callback<(Option<f64>, usize), String>,
    pick: Callback<(String, bool)>,
) -> impl IntoView {
    let name = line.name.clone();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        pick.run((name.clone(), ev.ctrl_key() || ev.meta_key() || ev.shift_key()));
    };
    let s = line.stats;
    view! {
        <tr class:legend-hidden=line.hidden>
            <th scope="row">
                <button
                    type="button"
                    class="legend-line"
                    aria-pressed=(!line.hidden).to_string()
                    title="Click to hide or show; Ctrl-click to show it alone"
                    on:click=on_click
                >
                    <span class=format!("swatch swatch-{}", line.n % 8) style:background-color=line.color></span>
                    <span class="legend-key">{line.name}</span>
                </button>
            </th>
            <td>{format.run((s.last, line.n))}</td>
            <td>{format.run((s.min, line.n))}</td>
            <td>{format.run((s.avg, line.n))}</td>
            <td>{format.run((s.max, line.n))}</td>
        </tr>
    }
}

/// What the legends of a page have hidden, and how a click changes it: a
/// dashboard keeps it in its URL; a chart on its own keeps it in memory.
#[derive(Clone, Copy)]
pub struct LegendChoices {
    pub hidden: Signal<HiddenLines>,
    pub set: Callback<HiddenLines>,
}

impl LegendChoices {
    /// Choices kept by the component that asks, for as long as it lives.
    pub fn local() -> Self {
        let hidden = RwSignal::new(HiddenLines::default());
        LegendChoices {
            hidden: hidden.into(),
            set: Callback::new(move |h| hidden.set(h)),
        }
    }
}
