//! Arranging panels on the dashboard: a panel's header drags it onto
//! another panel's place, its corner handle resizes it in grid columns
//! (width) and pixels (chart height). The dashboard stores the result.

use crate::model::{GRID_COLUMNS, PANEL_HEIGHTS_PX};
use leptos::html;
use leptos::prelude::*;

/// What the dashboard lends its panels to arrange them.
#[derive(Clone, Copy)]
pub struct Arrange {
    /// The panels' keys in the order they show in: the grid places each
    /// by its CSS `order`, so none is built again when they move (the
    /// page's own order is the stored one from the next load on).
    pub order: RwSignal<Vec<usize>>,
    /// The panel being dragged (its key).
    pub dragging: RwSignal<Option<usize>>,
    /// The panel `from` was dropped on the place of `to` (keys).
    pub moved: Callback<(usize, usize)>,
    /// A resize ended: store the layout.
    pub resized: Callback<()>,
}

impl Arrange {
    /// Where panel `key` shows (its CSS `order`).
    pub fn place(&self, key: usize) -> usize {
        self.order.with(|o| o.iter().position(|&k| k == key).unwrap_or(key))
    }
}

/// Chart height when the panel sets none (style/main.css).
const DEFAULT_HEIGHT_PX: f64 = 220.0;

/// Where a resize began: pointer, panel width, grid width, chart height.
#[derive(Clone, Copy)]
struct Start {
    x: f64,
    y: f64,
    width: f64,
    grid: f64,
    height: f64,
}

/// The corner handle: dragging it sets `layout` live, in whole columns
/// and pixels within the allowed heights; letting go calls `done`.
#[component]
pub fn ResizeHandle(
    layout: RwSignal<(Option<u8>, Option<u16>)>,
    panel: NodeRef<html::Article>,
    done: Callback<()>,
) -> impl IntoView {
    let start = StoredValue::new(None::<Start>);
    let on_down = move |ev: leptos::ev::PointerEvent| {
        let Some(el) = panel.get_untracked() else { return };
        let grid = el.parent_element().map_or(0.0, |g| f64::from(g.client_width()));
        let height = layout.get_untracked().1.map_or(DEFAULT_HEIGHT_PX, f64::from);
        ev.prevent_default();
        #[cfg(feature = "browser")]
        if let Some(handle) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        {
            let _ = handle.set_pointer_capture(ev.pointer_id());
        }
        start.set_value(Some(Start {
            x: f64::from(ev.client_x()),
            y: f64::from(ev.client_y()),
            width: f64::from(el.client_width()),
            grid: grid.max(1.0),
            height,
        }));
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let Some(s) = start.get_value() else { return };
        let (dx, dy) = (f64::from(ev.client_x()) - s.x, f64::from(ev.client_y()) - s.y);
        let columns = ((s.width + dx) / s.grid * f64::from(GRID_COLUMNS)).round();
        let columns = columns.clamp(1.0, f64::from(GRID_COLUMNS)) as u8;
        let (lo, hi) = (f64::from(*PANEL_HEIGHTS_PX.start()), f64::from(*PANEL_HEIGHTS_PX.end()));
        let height = (s.height + dy).round().clamp(lo, hi) as u16;
        if layout.get_untracked() != (Some(columns), Some(height)) {
            layout.set((Some(columns), Some(height)));
        }
    };
    let on_up = move |_| {
        if start.get_value().is_some() {
            start.set_value(None);
            done.run(());
        }
    };
    view! {
        <span class="panel-resize" role="separator" aria-label="Resize panel" title="Drag to resize the panel"
            on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointercancel=on_up></span>
    }
}
