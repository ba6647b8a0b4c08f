//! The dashboard editor (`/new`, `/d/{id}/edit`): title, and panels added,
//! removed, reordered, each with its series, unit and thresholds; saved
//! through the dashboards API. `?add=<key>` opens it with a new panel
//! charting that series (the explorer's "add to dashboard"). A dashboard
//! file (an export, or a `GET` answer) fills the form to review and save.

mod panel_form;
mod selection_form;
mod variables_form;

use crate::api::{delete_dashboard, list_dashboards, list_series, save_dashboard, AppError};
use crate::components::{use_hydrated, ErrorBanner, PageNav};
use crate::domain::{encode_query_value, PanelFields};
use crate::model::{Dashboard, DashboardDraft, DashboardVariable, PanelSpec, SeriesQuery, MAX_PANELS};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};
use panel_form::PanelForm;
use variables_form::VariablesForm;

/// One panel being edited; `key` stays with it while it moves.
#[derive(Clone, Copy)]
struct EditPanel {
    key: usize,
    fields: RwSignal<PanelFields>,
}

#[component]
pub fn EditorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = params.read_untracked().get("id").and_then(|s| s.parse::<i64>().ok());
    // The series to add, with the unit the explorer knows for it.
    let add = query.read_untracked().get("add").filter(|k| !k.is_empty());
    let unit = query.read_untracked().get("unit").filter(|u| !u.is_empty());
    let add = add.map(|key| (key, unit));
    let dashboards = Resource::new(|| (), |_| list_dashboards());
    let catalogue = Resource::new(
        || (),
        |_| {
            list_series(SeriesQuery {
                limit: 1_000,
                ..SeriesQuery::default()
            })
        },
    );

    view! {
        <header class="topbar">
            <h1 class="brand">"sensorboard"</h1>
            <PageNav current="editor"/>
        </header>
        <main class="page editor">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || {
                    let add = add.clone();
                    Suspend::new(async move {
                        let keys: Vec<String> = catalogue.await.unwrap_or_default().into_iter().map(|s| s.key).collect();
                        match (id, dashboards.await) {
                            (_, Err(e)) => view! { <ErrorBanner what="list the dashboards" message=e.to_string()/> }.into_any(),
                            (None, Ok(_)) => view! { <EditorForm initial=None add keys/> }.into_any(),
                            (Some(id), Ok(list)) => match list.into_iter().find(|d| d.id == id) {
                                Some(d) => view! { <EditorForm initial=Some(d) add keys/> }.into_any(),
                                None => view! { <ErrorBanner what="find this dashboard" message=format!("there is no dashboard {id}")/> }.into_any(),
                            },
                        }
                    })
                }}
            </Suspense>
        </main>
    }
}

#[component]
fn EditorForm(
    initial: Option<Dashboard>,
    /// A series to chart in a new panel (its key and unit).
    add: Option<(String, Option<String>)>,
    keys: Vec<String>,
) -> impl IntoView {
    let id = initial.as_ref().map(|d| d.id);
    let title = RwSignal::new(initial.as_ref().map_or_else(String::new, |d| d.title.clone()));
    let variables = RwSignal::new(initial.as_ref().map(|d| d.variables.clone()).unwrap_or_default());
    let mut specs: Vec<PanelFields> = initial
        .iter()
        .flat_map(|d| d.panels.iter().map(PanelFields::from_spec))
        .collect();
    // What Cancel would lose is measured against this.
    let pristine = (title.get_untracked(), specs.clone(), variables.get_untracked());
    // A panel added from the explorer comes first, in view, as Grafana
    // adds new panels at the top.
    if let Some((key, unit)) = add {
        specs.insert(
            0,
            PanelFields {
                title: key.clone(),
                series: vec![key],
                unit: unit.unwrap_or_default(),
                ..PanelFields::default()
            },
        );
    }
    let next_key = StoredValue::new(specs.len());
    let panels = RwSignal::new(
        specs
            .into_iter()
            .enumerate()
            .map(|(key, f)| EditPanel {
                key,
                fields: RwSignal::new(f),
            })
            .collect::<Vec<_>>(),
    );
    let error = RwSignal::new(None::<String>);
    // A refusal for want of a token: the banner links to the sign-in page.
    let needs_sign_in = RwSignal::new(false);
    let refused = move |e: AppError| {
        needs_sign_in.set(matches!(&e, AppError::Server(b) if b.error == "unauthorized" || b.error == "forbidden"));
        error.set(Some(e.to_string()));
    };
    let location = use_location();
    let sign_in_href = move || {
        let (path, search) = (location.pathname.get(), location.search.get());
        let here = if search.is_empty() {
            path
        } else {
            format!("{path}?{}", search.trim_start_matches('?'))
        };
        format!("/sign-in?next={}", encode_query_value(&here))
    };
    let live = use_hydrated();
    let confirm_delete = RwSignal::new(false);
    let changed = move || {
        let now: Vec<PanelFields> = panels.with_untracked(|p| p.iter().map(|e| e.fields.get_untracked()).collect());
        pristine.0 != title.get_untracked() || pristine.1 != now || pristine.2 != variables.get_untracked()
    };
    // Leaving with changes asks first, as a browser asks before it closes
    // a page with unsaved input.
    let on_cancel = move |ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "browser")]
        if changed() && !crate::browser::confirm("Discard your changes?") {
            ev.prevent_default();
        }
        #[cfg(not(feature = "browser"))]
        let _ = (ev, &changed);
    };
    let navigate = use_navigate();

    let add_panel = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        panels.update(|p| {
            p.push(EditPanel {
                key,
                fields: RwSignal::new(PanelFields::default()),
            })
        });
    };
    let save = {
        let navigate = navigate.clone();
        Action::new(move |draft: &DashboardDraft| {
            let (draft, navigate) = (draft.clone(), navigate.clone());
            async move {
                match save_dashboard(id, draft).await {
                    Ok(saved) => navigate(&format!("/?d={}", saved.id), Default::default()),
                    Err(e) => refused(e),
                }
            }
        })
    };
    let remove = Action::new(move |id: &i64| {
        let (id, navigate) = (*id, navigate.clone());
        async move {
            match delete_dashboard(id).await {
                Ok(()) => navigate("/", Default::default()),
                Err(e) => refused(e),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match draft(
            title.get_untracked(),
            &panels.get_untracked(),
            variables.get_untracked(),
        ) {
            Ok(d) => {
                error.set(None);
                needs_sign_in.set(false);
                save.dispatch(d);
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let heading = if id.is_some() {
        "Edit dashboard"
    } else {
        "New dashboard"
    };
    let cancel = id.map_or_else(|| "/".to_owned(), |id| format!("/?d={id}"));
    let imported = RwSignal::new(None::<String>);
    let on_import = move |ev: leptos::ev::Event| {
        #[cfg(feature = "browser")]
        leptos::task::spawn_local(async move {
            let Some((name, text)) = crate::browser::chosen_file_text(&ev).await else {
                return;
            };
            match serde_json::from_str::<DashboardDraft>(&text) {
                Ok(file) => {
                    title.set(file.title);
                    variables.set(file.variables);
                    let first = next_key.get_value();
                    next_key.set_value(first + file.panels.len());
                    panels.set(
                        file.panels
                            .iter()
                            .enumerate()
                            .map(|(i, spec)| EditPanel {
                                key: first + i,
                                fields: RwSignal::new(PanelFields::from_spec(spec)),
                            })
                            .collect(),
                    );
                    error.set(None);
                    imported.set(Some(name));
                }
                Err(e) => error.set(Some(format!("{name} is not a dashboard file: {e}"))),
            }
        });
        #[cfg(not(feature = "browser"))]
        let _ = (ev, next_key);
    };
    let keys = StoredValue::new(keys);

    view! {
        <form class="editor-form" on:submit=on_submit aria-label=heading>
            <h2>{heading}</h2>
            // Every control waits for the page to be live: typing into a
            // server-rendered field would be undone by hydration.
            <fieldset class="plain" disabled=move || !live.get()>
            <label class="field">
                <span>"Dashboard title"</span>
                <input type="text" required maxlength="200" prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))/>
            </label>
            <div class="row">
                <label class="button">
                    "Import from file…"
                    <input type="file" class="visually-hidden" accept=".json,application/json" on:change=on_import/>
                </label>
                {id.map(|id| view! {
                    <a class="button" href=format!("/api/v1/dashboards/{id}/export") download="">"Export to file"</a>
                })}
            </div>
            {move || imported.get().map(|name| view! {
                <p class="hint" role="status">{format!("Read {name}: review it and save.")}</p>
            })}
            <VariablesForm variables/>
            <datalist id="series-options">
                {keys.get_value().into_iter().map(|k| view! { <option value=k></option> }).collect_view()}
            </datalist>
            <For each=move || panels.get() key=|p| p.key let:panel>
                <PanelForm
                    fields=panel.fields
                    position=Signal::derive(move || panels.with(|p| p.iter().position(|e| e.key == panel.key).unwrap_or(0)))
                    count=Signal::derive(move || panels.with(Vec::len))
                    on_move=Callback::new(move |delta: isize| panels.update(|p| shift(p, panel.key, delta)))
                    on_remove=Callback::new(move |()| panels.update(|p| p.retain(|e| e.key != panel.key)))
                    known=keys
                />
            </For>
            <p>
                <button type="button" on:click=add_panel disabled=move || panels.with(|p| p.len() >= MAX_PANELS)>
                    "Add panel"
                </button>
            </p>
            {move || error.get().map(|message| view! {
                <p class="banner banner-error" role="alert">
                    {message}
                    {move || needs_sign_in.get().then(|| view! { " " <a href=sign_in_href()>"Sign in to edit"</a> })}
                </p>
            })}
            <div class="toolbar">
                <button type="submit" class="primary" disabled=move || save.pending().get()>"Save dashboard"</button>
                <a class="button" href=cancel on:click=on_cancel>"Cancel"</a>
                {id.map(|id| view! {
                    <Show when=move || confirm_delete.get()
                        fallback=move || view! {
                            <button type="button" class="danger" on:click=move |_| confirm_delete.set(true)>"Delete dashboard"</button>
                        }>
                        <span role="alert">"Delete this dashboard for good?"</span>
                        <button type="button" class="danger" on:click=move |_| { remove.dispatch(id); }>"Yes, delete"</button>
                        <button type="button" on:click=move |_| confirm_delete.set(false)>"Keep it"</button>
                    </Show>
                })}
            </div>
            </fieldset>
        </form>
    }
    .into_any()
}

/// The draft the form describes. Fields that do not parse are named
/// here; the rest of the checks are the server's (`DashboardDraft::validated`),
/// whose message the form shows the same way.
fn draft(title: String, panels: &[EditPanel], variables: Vec<DashboardVariable>) -> Result<DashboardDraft, String> {
    let panels = panels
        .iter()
        .enumerate()
        .map(|(i, p)| p.fields.with_untracked(|f| f.to_spec(i + 1)))
        .collect::<Result<Vec<PanelSpec>, String>>()?;
    Ok(DashboardDraft {
        title,
        panels,
        variables,
    })
}

/// Moves the panel `key` by `delta` places, within bounds.
fn shift(panels: &mut [EditPanel], key: usize, delta: isize) {
    let Some(from) = panels.iter().position(|p| p.key == key) else {
        return;
    };
    let to = from.saturating_add_signed(delta).min(panels.len() - 1);
    if from < to {
        panels[from..=to].rotate_left(1);
    } else {
        panels[to..=from].rotate_right(1);
    }
}
