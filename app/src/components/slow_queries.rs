//! The System page's list of the slowest recent queries.

use super::local_parts;
use crate::domain::{format_instant, format_value};
use crate::model::SlowQuery;
use leptos::prelude::*;

#[component]
pub fn SlowQueryTable(list: Vec<SlowQuery>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="hint">"No query was computed in the last 15 minutes (cached answers are not listed)."</p> }
            .into_any();
    }
    let rows = list
        .into_iter()
        .map(|q| {
            let window = format!(
                "{} – {}",
                format_instant(local_parts(q.from)),
                format_instant(local_parts(q.to))
            );
            view! {
                <tr>
                    <td class="slow-series">{q.series}</td>
                    <td>{window}</td>
                    <td class="num">{q.points}</td>
                    <td>{format!("{} rows ({})", q.rows_read, q.resolution)}</td>
                    <td class="num">{format!("{} ms", format_value(q.took_us as f64 / 1e3))}</td>
                    <td>{format_instant(local_parts(q.at))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="slow-queries">
            <thead>
                <tr>
                    <th scope="col">"Series"</th>
                    <th scope="col">"Window"</th>
                    <th scope="col">"Points"</th>
                    <th scope="col">"Read"</th>
                    <th scope="col">"Took"</th>
                    <th scope="col">"At"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
