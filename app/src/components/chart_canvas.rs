//! The `<canvas>` a panel's chart is drawn on, with the pointer overlay:
//! a crosshair reading the nearest points (where the mouse hovers, or
//! where a finger taps, and on a dashboard with linked panels where the
//! pointer is on any of its charts), drag to zoom (double-click resets),
//! Shift-drag to pan, Ctrl- or Shift-wheel or a two-finger pinch to zoom
//! around the pointer, and
//! the keyboard: arrows move the reading, `+` and `-` zoom around it,
//! Escape puts it away. On a dashboard, Ctrl-click (⌘ on a Mac), Ctrl-drag
//! or `a` asks to annotate there, and the readout names the notes it is on. It owns only the nodes and effects; what is drawn
//! is `chart::draw_panel` and what is read is `chart::readout`.

use super::annotations::DashboardNotes;
use super::Readout as ReadoutBox;
use crate::chart::{ChartLooks, PlotFrame};
use crate::domain::{notes_at, pan_window, zoom_window};
use crate::model::{QueryOutcome, Thresholds, ValueAxis};
use leptos::html;
use leptos::prelude::*;

/// Drags shorter than this many CSS pixels are clicks.
const MIN_DRAG_PX: f64 = 4.0;
/// One wheel notch or key press zooms by this factor.
const ZOOM_STEP: f64 = 1.5;
/// Wheel events closer than this (ms) after a zoom are one gesture.
const WHEEL_PAUSE_MS: i64 = 250;
/// An instant's note is read within this many CSS pixels of it.
const NOTE_NEAR_PX: f64 = 4.0;

/// The time under the pointer on any chart of a dashboard: while `on`,
/// every chart shows its crosshair and reading there.
#[derive(Clone, Copy)]
pub struct LinkedCursor {
    pub at: RwSignal<Option<i64>>,
    pub on: Signal<bool>,
}

/// Redraws whenever `data` changes or the canvas is resized, at
/// device-pixel resolution, and reports its width in device pixels
/// through `width_px`.
#[component]
pub fn ChartCanvas(
    data: RwSignal<Option<Vec<QueryOutcome>>>,
    thresholds: Thresholds,
    /// Fixed bounds and the log scale of the value axis.
    axis: ValueAxis,
    width_px: RwSignal<u32>,
    #[prop(into)] label: Signal<String>,
    /// Unit shown after values in the readout.
    unit: Signal<Option<String>>,
    zoom: Callback<(i64, i64)>,
    reset_zoom: Callback<()>,
    /// Per line of `data`, whether the legend hid it (neither drawn nor read).
    #[prop(optional)]
    hidden: Option<Signal<Vec<bool>>>,
    /// The chart's height in CSS pixels; the style sheet's when absent.
    #[prop(into)]
    height: Signal<Option<u16>>,
    /// Line colours, value mappings, and whether it is a state timeline.
    #[prop(optional)]
    looks: ChartLooks,
    /// Each line's unit (the readout's, and the right-hand axis').
    #[prop(optional, into)]
    units: Signal<Vec<Option<String>>>,
) -> impl IntoView {
    let looks = StoredValue::new(looks);
    let canvas = NodeRef::<html::Canvas>::new();
    let frame = RwSignal::new(None::<PlotFrame>);
    let hover = RwSignal::new(None::<f64>);
    let drag = RwSignal::new(None::<(f64, f64)>);
    let panning = StoredValue::new(false);
    let noting = StoredValue::new(false);
    // Fingers on the chart (pointer id, x) and, while two pinch, their
    // first distance and the time between them.
    let fingers = StoredValue::new(Vec::<(i32, f64)>::new());
    let pinch = StoredValue::new(None::<(f64, i64)>);
    let notes = use_context::<DashboardNotes>();
    let last_wheel = StoredValue::new(i64::MIN / 2);
    let hidden = hidden.unwrap_or_default();
    #[cfg(feature = "browser")]
    paint::keep_height(canvas, height);
    #[cfg(feature = "browser")]
    paint::keep_drawn(
        canvas,
        data,
        hidden,
        (thresholds, axis, notes, looks),
        (unit, units),
        width_px,
        frame,
    );
    #[cfg(not(feature = "browser"))]
    let _ = (thresholds, axis, width_px, height);
    let link = use_context::<LinkedCursor>();
    // Tells the other charts of the dashboard where this one is read.
    let share = move |x: Option<f64>| {
        if let Some(l) = link.filter(|l| l.on.get_untracked()) {
            let f = frame.get_untracked();
            l.at.set(x.zip(f).map(|(x, f)| f.time_at(x)));
        }
    };

    let on_down = move |ev: leptos::ev::PointerEvent| {
        if ev.pointer_type() == "touch" {
            let x = f64::from(ev.offset_x());
            fingers.update_value(|f| f.push((ev.pointer_id(), x)));
            if let ([(_, a), (_, b)], Some(f)) = (fingers.get_value().as_slice(), frame.get_untracked()) {
                pinch.set_value(Some(((a - b).abs().max(1.0), f.time_at((a + b) / 2.0))));
                drag.set(None);
                return;
            }
        }
        if ev.button() == 0 && ev.is_primary() {
            let x = f64::from(ev.offset_x());
            panning.set_value(ev.shift_key());
            noting.set_value(notes.is_some() && (ev.ctrl_key() || ev.meta_key()));
            drag.set(Some((x, x)));
        }
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let x = f64::from(ev.offset_x());
        if ev.pointer_type() == "touch" {
            let id = ev.pointer_id();
            fingers.update_value(|f| f.iter_mut().filter(|p| p.0 == id).for_each(|p| p.1 = x));
            if pinch.get_value().is_some() {
                return;
            }
        }
        if ev.pointer_type() != "touch" {
            let over = frame.with_untracked(|f| f.is_some_and(|f| f.holds_x(x)));
            hover.set(over.then_some(x));
            share(over.then_some(x));
        }
        drag.update(|d| {
            if let Some((_, end)) = d {
                *end = x;
            }
        });
    };
    let on_up = move |ev: leptos::ev::PointerEvent| {
        if ev.pointer_type() == "touch" {
            let spread = match fingers.get_value().as_slice() {
                [(_, a), (_, b)] => Some((a - b).abs().max(1.0)),
                _ => None,
            };
            let id = ev.pointer_id();
            fingers.update_value(|f| f.retain(|p| p.0 != id));
            if let (Some((first, at)), Some(now), Some(f)) = (pinch.get_value(), spread, frame.get_untracked()) {
                // Fingers spread apart: a shorter window, around where they began.
                pinch.set_value(None);
                drag.set(None);
                return zoom.run(zoom_window((f.from, f.to), at, first / now));
            }
        }
        let (Some((a, b)), Some(f)) = (drag.get_untracked(), frame.get_untracked()) else {
            return;
        };
        drag.set(None);
        if let Some(n) = notes.filter(|_| noting.get_value()) {
            let (ta, tb) = (f.time_at(a), f.time_at(b));
            let span = if (a - b).abs() >= MIN_DRAG_PX {
                (ta.min(tb), ta.max(tb))
            } else {
                (tb, tb)
            };
            n.draft.set(Some(span));
        } else if (a - b).abs() >= MIN_DRAG_PX && panning.get_value() {
            // The content follows the pointer: dragging right shows earlier times.
            zoom.run(pan_window((f.from, f.to), f.time_at(a) - f.time_at(b)));
        } else if (a - b).abs() >= MIN_DRAG_PX {
            zoom.run((f.time_at(a), f.time_at(b)));
        } else if ev.pointer_type() == "touch" {
            // A tap reads the chart there (a finger does not hover); a
            // second tap on the same spot puts the reading away.
            let again = hover.get_untracked().is_some_and(|x| (x - b).abs() < MIN_DRAG_PX);
            let at = (!again && f.holds_x(b)).then_some(b);
            hover.set(at);
            share(at);
        }
    };
    let on_leave = move |ev: leptos::ev::PointerEvent| {
        if ev.pointer_type() == "touch" && pinch.get_value().is_some() {
            return;
        }
        // A finger leaves as it lifts: its reading stays until the next tap.
        if ev.pointer_type() != "touch" {
            hover.set(None);
            share(None);
        }
        drag.set(None);
    };
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        let Some(f) = frame.get_untracked() else { return };
        let delta = if ev.delta_y() != 0.0 {
            ev.delta_y()
        } else {
            ev.delta_x()
        };
        if !(ev.ctrl_key() || ev.shift_key()) || delta == 0.0 {
            return;
        }
        // Ctrl-wheel (and a touchpad's pinch) would zoom the page instead.
        ev.prevent_default();
        let now = super::now_ms();
        if now - last_wheel.get_value() < WHEEL_PAUSE_MS {
            return;
        }
        last_wheel.set_value(now);
        let factor = if delta > 0.0 { ZOOM_STEP } else { 1.0 / ZOOM_STEP };
        zoom.run(zoom_window((f.from, f.to), f.time_at(f64::from(ev.offset_x())), factor));
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(f) = frame.get_untracked() else { return };
        let at = hover.get_untracked().unwrap_or((f.left + f.right) / 2.0);
        let step = (f.right - f.left) / if ev.shift_key() { 10.0 } else { 100.0 };
        let moved_to = |x: f64| Some(x.clamp(f.left, f.right));
        let reading = match ev.key().as_str() {
            "ArrowLeft" => moved_to(at - step),
            "ArrowRight" => moved_to(at + step),
            "Home" => moved_to(f.left),
            "End" => moved_to(f.right),
            "Escape" => None,
            "+" | "=" => return zoom.run(zoom_window((f.from, f.to), f.time_at(at), 1.0 / ZOOM_STEP)),
            "-" => return zoom.run(zoom_window((f.from, f.to), f.time_at(at), ZOOM_STEP)),
            "a" | "A" => {
                if let Some(n) = notes {
                    let t = f.time_at(at);
                    n.draft.set(Some((t, t)));
                }
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        hover.set(reading);
        share(reading);
    };
    let selection = move || {
        if panning.get_value() {
            return None;
        }
        let (a, b) = drag.get()?;
        ((a - b).abs() >= MIN_DRAG_PX).then(|| {
            let (left, width) = (format!("{}px", a.min(b)), format!("{}px", (a - b).abs()));
            view! { <div class="zoom-box" style:left=left style:width=width></div> }
        })
    };
    let crosshair = move || {
        let f = frame.get()?;
        let x = match hover.get() {
            Some(x) => x,
            None => {
                let l = link.filter(|l| l.on.get())?;
                Some(f.x_of(l.at.get()?)).filter(|x| f.holds_x(*x))?
            }
        };
        let reading = data.with(|d| {
            let d = d.as_ref()?;
            let hidden = hidden.get();
            let results: Vec<_> = d
                .iter()
                .enumerate()
                .map(|(n, o)| match o {
                    QueryOutcome::Ok(r) if !hidden.get(n).copied().unwrap_or(false) => Some(&**r),
                    _ => None,
                })
                .collect();
            crate::chart::readout(&results, f.time_at(x))
        })?;
        let near = (f.time_at(x + NOTE_NEAR_PX) - f.time_at(x)).max(1);
        let keys = data.with(|d| d.as_deref().map(crate::components::answer_keys).unwrap_or_default());
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let noted: Vec<String> = notes.map_or_else(Vec::new, |n| {
            n.list.with(|l| {
                notes_at(l, f.time_at(x), near)
                    .into_iter()
                    .filter(|a| a.shown_with(&keys))
                    .map(|a| a.text.clone())
                    .collect()
            })
        });
        let (left, top, height) = (
            format!("{x}px"),
            format!("{}px", f.top),
            format!("{}px", f.bottom - f.top),
        );
        let flip = x > (f.left + f.right) / 2.0;
        Some(view! {
            <div class="crosshair" style:left=left style:top=top style:height=height></div>
            <ReadoutBox reading x flip unit=unit.get() span=f.y_max - f.y_min right_span=f.right_span notes=noted looks=looks.get_value() units=units.get()/>
        })
    };
    view! {
        <div
            class="chart-wrap"
            tabindex="0"
            title="Drag to zoom, Shift-drag to pan, Ctrl-wheel to zoom, Ctrl-click to annotate; arrows read values"
            on:keydown=on_key
            on:blur=move |_| {
                hover.set(None);
                share(None);
            }
            on:wheel=on_wheel
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointerleave=on_leave
            on:dblclick=move |_| reset_zoom.run(())
        >
            <canvas node_ref=canvas class="chart" role="img" aria-label=label></canvas>
            {selection}
            {crosshair}
        </div>
    }
    .into_any()
}

#[cfg(feature = "browser")]
mod paint {
    use super::DashboardNotes;
    use crate::browser;
    use crate::chart::{draw_panel, ChartLine, ChartLooks, ChartTheme, PanelChart, PlotFrame};
    use crate::model::{QueryOutcome, Thresholds, ValueAxis};
    use leptos::html;
    use leptos::prelude::*;
    use plotters::prelude::IntoDrawingArea;
    use plotters_canvas::CanvasBackend;
    use web_sys::HtmlCanvasElement;

    /// Draws now and again on every new answer and every resize of the
    /// canvas (a `ResizeObserver`, so grid reflows count too).
    pub fn keep_drawn(
        canvas: NodeRef<html::Canvas>,
        data: RwSignal<Option<Vec<QueryOutcome>>>,
        hidden: Signal<Vec<bool>>,
        (thresholds, axis, notes, looks): (Thresholds, ValueAxis, Option<DashboardNotes>, StoredValue<ChartLooks>),
        (unit, units): (Signal<Option<String>>, Signal<Vec<Option<String>>>),
        width_px: RwSignal<u32>,
        frame: RwSignal<Option<PlotFrame>>,
    ) {
        let guides = (thresholds, axis);
        let dark = use_context::<crate::components::ThemeState>().map(|t| t.0);
        let redraw = move || {
            if let Some(el) = canvas.get_untracked() {
                let dark = dark.is_some_and(|d| d.get_untracked());
                let right_unit = looks.with_value(|l| {
                    units.with_untracked(|u| (0..u.len()).find(|&n| l.on_right(n)).and_then(|n| u[n].clone()))
                });
                let unit = (unit.get_untracked(), right_unit);
                let hidden = hidden.get_untracked();
                let keys =
                    data.with_untracked(|d| d.as_deref().map(crate::components::answer_keys).unwrap_or_default());
                let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                let spans = notes.map(|n| n.spans(&keys)).unwrap_or_default();
                data.with_untracked(|d| {
                    let lines = d.as_deref().map(|d| (d, hidden.as_slice()));
                    looks.with_value(|looks| {
                        paint(
                            &el,
                            lines,
                            (guides.0, guides.1, &spans, looks),
                            unit,
                            dark,
                            width_px,
                            frame,
                        )
                    })
                });
            }
        };
        Effect::new(move |_| {
            canvas.track();
            data.track();
            hidden.track();
            if let Some(n) = notes {
                n.list.track();
            }
            if let Some(d) = dark {
                d.track();
            }
            redraw();
        });
        Effect::new(move |_| {
            if let Some(el) = canvas.get() {
                let watch = browser::watch_resize(&el, redraw);
                StoredValue::new_local(watch);
            }
        });
    }

    /// Gives the canvas its panel's height through the CSSOM: the page's
    /// CSP refuses `style` attributes, so the server cannot render it.
    pub fn keep_height(canvas: NodeRef<html::Canvas>, height: Signal<Option<u16>>) {
        Effect::new(move |_| {
            let h = height.get();
            if let Some(el) = canvas.get() {
                let style = web_sys::HtmlElement::style(&el);
                let _ = match h {
                    Some(h) => style.set_property("height", &format!("{h}px")),
                    None => style.remove_property("height").map(|_| ()),
                };
            }
        });
    }

    fn paint(
        el: &HtmlCanvasElement,
        data: Option<(&[QueryOutcome], &[bool])>,
        (thresholds, axis, notes, looks): (Thresholds, ValueAxis, &[crate::chart::NoteSpan], &ChartLooks),
        (unit, right_unit): (Option<String>, Option<String>),
        dark: bool,
        width_px: RwSignal<u32>,
        frame: RwSignal<Option<PlotFrame>>,
    ) {
        let scale = browser::device_pixel_ratio();
        let width = (f64::from(el.client_width()) * scale).round() as u32;
        let height = (f64::from(el.client_height()) * scale).round() as u32;
        if width == 0 || height == 0 {
            return;
        }
        if el.width() != width || el.height() != height {
            el.set_width(width);
            el.set_height(height);
        }
        if width_px.get_untracked() != width {
            width_px.set(width);
        }
        let Some((outcomes, hidden)) = data else { return };
        let Some(backend) = CanvasBackend::with_canvas_object(el.clone()) else {
            return;
        };
        let root = backend.into_drawing_area();
        let theme = if dark { ChartTheme::DARK } else { ChartTheme::LIGHT };
        // A hidden line keeps its place, so the others keep their colours.
        let lines: Vec<ChartLine> = outcomes
            .iter()
            .enumerate()
            .map(|(n, o)| match o {
                QueryOutcome::Ok(r) if !hidden.get(n).copied().unwrap_or(false) => ChartLine {
                    points: &r.points,
                    bucket: r.bucket,
                },
                _ => ChartLine {
                    points: &[],
                    bucket: None,
                },
            })
            .collect();
        let (from, to) = outcomes
            .iter()
            .find_map(|o| match o {
                QueryOutcome::Ok(r) => Some((r.from, r.to)),
                QueryOutcome::Err(_) => None,
            })
            .unwrap_or((0, 1));
        let colors: Vec<_> = (0..lines.len()).map(|n| looks.rgb(n)).collect();
        let right: Vec<bool> = (0..lines.len()).map(|n| looks.on_right(n)).collect();
        let chart = PanelChart {
            lines: &lines,
            colors: &colors,
            states: looks.timeline.then_some(looks.mappings.as_slice()),
            stacked: looks.stacked,
            right: &right,
            right_unit: right_unit.as_deref(),
            thresholds,
            notes,
            axis,
            unit: unit.as_deref(),
            from,
            to,
            theme: &theme,
            scale,
            utc_offset_ms: browser::utc_offset_ms(),
            date_parts: &browser::local_date_parts,
        };
        let timing = browser::DrawTiming::start();
        match draw_panel(&root, &chart).and_then(|f| root.present().map(|()| f)) {
            Ok(f) => frame.set(Some(f)),
            Err(e) => leptos::logging::error!("chart drawing failed: {e}"),
        }
        timing.finish();
    }
}
