//! The pieces of the alerts page's plain forms: a labelled input, a
//! select, and a one-button form posting an id.

use leptos::prelude::*;

/// A text input named `name`, holding `value`.
pub fn field(label: &'static str, name: &'static str, value: String, hint: &'static str) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input type="text" name=name value=value placeholder=hint/>
        </label>
    }
}

/// A select named `name` among `choices` (value, label), `chosen` selected.
pub fn choice(
    label: &'static str,
    name: &'static str,
    chosen: String,
    choices: &'static [(&'static str, &'static str)],
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <select name=name>
                {choices
                    .iter()
                    .map(|(v, l)| view! { <option value=*v selected=*v == chosen>{*l}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

/// A button posting `id` to the server function at `action`.
pub fn id_button(action: &'static str, id: i64, text: &'static str, label: String) -> impl IntoView {
    view! {
        <form method="post" action=action class="inline">
            <input type="hidden" name="id" value=id/>
            <button type="submit" aria-label=label>{text}</button>
        </form>
    }
}
