//! The crosshair's tooltip: the time of the nearest point and, per series,
//! its value (with the bucket's min and max when the answer is bucketed).

use super::local_parts;
use crate::chart::ChartLooks;
use crate::chart::Readout as Reading;
use crate::domain::{format_instant, format_value_in, mapping_for};
use leptos::prelude::*;

#[component]
pub fn Readout(
    reading: Reading,
    /// Cursor position in CSS pixels from the chart's left.
    x: f64,
    /// Show the box left of the cursor (when it is in the right half).
    flip: bool,
    unit: Option<String>,
    /// The value axis' extent: values are shown as precisely as it needs.
    span: f64,
    /// The annotations the reading's time falls on.
    #[prop(optional)]
    notes: Vec<String>,
    /// What values show as words, and each line's own colour if set.
    #[prop(optional)]
    looks: ChartLooks,
    /// Each line's own unit, where it differs from `unit`.
    #[prop(optional)]
    units: Vec<Option<String>>,
    /// The right-hand axis' extent, for its lines' precision.
    #[prop(default = None)]
    right_span: Option<f64>,
) -> impl IntoView {
    // Set through the CSSOM (`style:`), which the page's CSP allows,
    // unlike inline `style` attributes.
    let (left, shift) = if flip {
        (format!("{x}px"), "translateX(calc(-100% - 12px))")
    } else {
        (format!("{}px", x + 12.0), "none")
    };
    let mappings = looks.mappings.clone();
    let on_right: Vec<bool> = (0..reading.rows.iter().map(|r| r.n + 1).max().unwrap_or(0))
        .map(|n| looks.on_right(n))
        .collect();
    let span_of = move |n: usize| right_span.filter(|_| on_right.get(n) == Some(&true)).unwrap_or(span);
    let with_unit = move |v: f64, n: usize| match (
        mapping_for(&mappings, v),
        units.get(n).cloned().flatten().or_else(|| unit.clone()),
    ) {
        (Some((_, m)), _) => m.text.clone(),
        (None, Some(u)) => format!("{} {u}", format_value_in(v, span_of(n))),
        (None, None) => format_value_in(v, span_of(n)),
    };
    let several = reading.rows.len() > 1;
    view! {
        <div class="readout" role="tooltip" style:left=left style:transform=shift>
            <time>{format_instant(local_parts(reading.t))}</time>
            {reading
                .rows
                .into_iter()
                .map(|row| {
                    let extent = row
                        .extent
                        .map(|(lo, hi)| format!(" (min {} · max {})", with_unit(lo, row.n), with_unit(hi, row.n)));
                    let name = several.then(|| format!("{}: ", row.series));
                    view! {
                        <p>
                            <span class=format!("swatch swatch-{}", row.n % 8) style:background-color=looks.css_color(row.n)></span>
                            {name}
                            <strong>{with_unit(row.value, row.n)}</strong>
                            {extent}
                        </p>
                    }
                })
                .collect_view()}
            {notes.into_iter().map(|n| view! { <p class="readout-note">{n}</p> }).collect_view()}
        </div>
    }
}
