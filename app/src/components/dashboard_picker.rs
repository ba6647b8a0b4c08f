//! Which dashboard is shown: a labelled `<select>` that navigates to the
//! chosen one, keeping the range and refresh.

use crate::domain::DashboardView;
use crate::model::Dashboard;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn DashboardPicker(
    list: StoredValue<Vec<Dashboard>>,
    /// Index in `list` of the dashboard shown.
    chosen: Memo<usize>,
    view: Memo<DashboardView>,
) -> impl IntoView {
    let navigate = use_navigate();
    let on_change = move |ev: leptos::ev::Event| {
        if let Ok(id) = event_target_value(&ev).parse::<i64>() {
            navigate(&view.get_untracked().with_dashboard(id).to_query(), Default::default());
        }
    };
    view! {
        <label class="field">
            <span>"Dashboard"</span>
            <select on:change=on_change>
                {list
                    .get_value()
                    .into_iter()
                    .enumerate()
                    .map(|(i, d)| {
                        view! {
                            <option value=d.id.to_string() selected=move || chosen.get() == i>
                                {d.title}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
