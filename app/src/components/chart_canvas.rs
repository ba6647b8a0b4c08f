//! The `<canvas>` a panel's chart is drawn on. It owns only the node and
//! the drawing effect; what is drawn is `chart::draw_panel`.

use crate::model::QueryResult;
use leptos::html;
use leptos::prelude::*;

/// Redraws whenever `data` changes or the window is resized, at device-pixel
/// resolution, and reports its width in device pixels through `width_px`.
#[component]
pub fn ChartCanvas(
    data: RwSignal<Option<QueryResult>>,
    width_px: RwSignal<u32>,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let canvas = NodeRef::<html::Canvas>::new();
    #[cfg(feature = "browser")]
    {
        let redraw = move || {
            if let Some(el) = canvas.get_untracked() {
                data.with_untracked(|d| paint::paint(&el, d.as_ref(), width_px));
            }
        };
        Effect::new(move |_| {
            canvas.track();
            data.track();
            redraw();
        });
        let resize = window_event_listener(leptos::ev::resize, move |_| redraw());
        on_cleanup(move || resize.remove());
    }
    #[cfg(not(feature = "browser"))]
    let _ = (data, width_px);
    view! { <canvas node_ref=canvas class="chart" role="img" aria-label=label></canvas> }
}

#[cfg(feature = "browser")]
mod paint {
    use crate::browser;
    use crate::chart::{draw_panel, ChartTheme, PanelChart};
    use crate::model::QueryResult;
    use leptos::prelude::*;
    use plotters::prelude::IntoDrawingArea;
    use plotters_canvas::CanvasBackend;
    use web_sys::HtmlCanvasElement;

    pub fn paint(el: &HtmlCanvasElement, data: Option<&QueryResult>, width_px: RwSignal<u32>) {
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
        let Some(result) = data else { return };
        let Some(backend) = CanvasBackend::with_canvas_object(el.clone()) else {
            return;
        };
        let root = backend.into_drawing_area();
        let theme = if browser::prefers_dark() {
            ChartTheme::DARK
        } else {
            ChartTheme::LIGHT
        };
        let chart = PanelChart {
            points: &result.points,
            from: result.from,
            to: result.to,
            theme: &theme,
            scale,
            utc_offset_ms: browser::utc_offset_ms(),
            date_parts: &browser::local_date_parts,
        };
        if let Err(e) = draw_panel(&root, &chart).and_then(|()| root.present()) {
            leptos::logging::error!("chart drawing failed: {e}");
        }
    }
}
