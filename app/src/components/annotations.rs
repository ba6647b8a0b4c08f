//! A dashboard's annotations: the list every chart of it draws and reads
//! (a context, as the linked cursor), the form that adds one where a
//! chart was Ctrl-clicked (or dragged over with Ctrl, or `a` pressed),
//! and the list of the window's notes with their delete buttons.

use super::local_parts;
use crate::api::{delete_annotation, save_annotation};
use crate::domain::{format_instant, TimeSpec};
use crate::model::{Annotation, AnnotationDraft, ALERT_FIRING_TAG};
use leptos::prelude::*;

/// The series keys of a panel's answers (each line's own, and the
/// selector of a query by selector).
pub fn answer_keys(outcomes: &[crate::model::QueryOutcome]) -> Vec<String> {
    outcomes
        .iter()
        .filter_map(crate::model::QueryOutcome::result)
        .flat_map(|r| std::iter::once(r.series.clone()).chain(r.lines.iter().filter_map(|l| l.series.clone())))
        .collect()
}

/// The annotations of the dashboard on show, and the span a chart asked
/// to annotate (`(start, end)`, equal for an instant) while its form is open.
#[derive(Clone, Copy)]
pub struct DashboardNotes {
    pub dashboard: i64,
    pub list: RwSignal<Vec<Annotation>>,
    pub draft: RwSignal<Option<(i64, i64)>>,
}

impl DashboardNotes {
    pub fn new(dashboard: i64) -> Self {
        DashboardNotes {
            dashboard,
            list: RwSignal::new(Vec::new()),
            draft: RwSignal::new(None),
        }
    }

    /// The notes a panel showing the series `keys` draws (untracked).
    #[cfg(feature = "browser")]
    pub fn spans(&self, keys: &[&str]) -> Vec<crate::chart::NoteSpan> {
        self.list.with_untracked(|l| {
            l.iter()
                .filter(|a| a.shown_with(keys))
                .map(|a| crate::chart::NoteSpan {
                    start: a.time,
                    end: a.end,
                    alert: a.alert,
                })
                .collect()
        })
    }

    /// The worst severity among alerts still firing on series `keys`.
    pub fn firing_on(&self, keys: &[&str]) -> Option<crate::domain::Severity> {
        self.list.with(|l| {
            l.iter()
                .filter(|a| a.alert.is_some() && a.tags.iter().any(|t| t == ALERT_FIRING_TAG) && a.shown_with(keys))
                .filter_map(|a| a.alert)
                .max()
        })
    }
}

fn span_label((start, end): (i64, i64)) -> String {
    let at = |t| format_instant(local_parts(t));
    if end > start {
        format!("{} – {}", at(start), at(end))
    } else {
        at(start)
    }
}

/// The form that writes a new annotation, open while a chart asked for one.
#[component]
pub fn NoteForm(notes: DashboardNotes) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let close = move || {
        notes.draft.set(None);
        text.set(String::new());
        tags.set(String::new());
        error.set(None);
    };
    let save = Action::new(move |draft: &AnnotationDraft| {
        let draft = draft.clone();
        async move {
            match save_annotation(None, draft).await {
                Ok(saved) => {
                    notes.list.update(|l| {
                        l.push(saved);
                        l.sort_by_key(|a| (a.time, a.id));
                    });
                    close();
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((start, end)) = notes.draft.get_untracked() else {
            return;
        };
        save.dispatch(AnnotationDraft {
            dashboard: Some(notes.dashboard),
            time: TimeSpec::At(start),
            end: (end > start).then_some(TimeSpec::At(end)),
            text: text.get_untracked(),
            tags: tags.get_untracked().split(',').map(|t| t.trim().to_owned()).collect(),
        });
    };
    move || {
        notes.draft.get().map(|span| {
            view! {
                <form class="note-form" aria-label="New annotation" on:submit=on_submit
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { close() }>
                    <strong>{format!("Annotate {}", span_label(span))}</strong>
                    <label class="field">
                        <span>"Note"</span>
                        <input type="text" required maxlength="1000" autofocus prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))/>
                    </label>
                    <label class="field">
                        <span>"Tags"</span>
                        <input type="text" placeholder="deploy, boiler" prop:value=move || tags.get()
                            on:input=move |ev| tags.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="primary" disabled=move || save.pending().get()>"Save note"</button>
                    <button type="button" on:click=move |_| close()>"Cancel"</button>
                    {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
                </form>
            }
        })
    }
}

/// The annotations of the window, each with its time, text, tags and a
/// delete button; how to add one when there is none.
#[component]
pub fn NoteList(notes: DashboardNotes) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let remove = Action::new(move |id: &i64| {
        let id = *id;
        async move {
            match delete_annotation(id).await {
                Ok(()) => notes.list.update(|l| l.retain(|a| a.id != id)),
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    view! {
        <details class="notes">
            <summary>{move || format!("Annotations ({})", notes.list.with(Vec::len))}</summary>
            <p class="hint">"Ctrl-click a chart (⌘ on a Mac) to note an instant, Ctrl-drag to note a range, or press A on a focused chart."</p>
            <ul aria-label="Annotations">
                {move || notes.list.get().into_iter().map(|a| {
                    let id = a.id;
                    let tags = (!a.tags.is_empty()).then(|| format!(" [{}]", a.tags.join(", ")));
                    // Alert periods come from the state history: seen on the alerts page.
                    let action = if a.alert.is_some() {
                        view! { <a href="/alerts">"Alerts"</a> }.into_any()
                    } else {
                        view! {
                            <button type="button" aria-label=format!("Delete note {}", a.text)
                                on:click=move |_| { remove.dispatch(id); }>"Delete"</button>
                        }.into_any()
                    };
                    view! {
                        <li>
                            <time>{span_label((a.time, a.end))}</time>" "
                            <span>{a.text.clone()}</span>
                            {tags}
                            " "
                            {action}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
        </details>
    }
}
