//! The few facts the UI reads from the browser, in one place.

use crate::domain::DateParts;
use wasm_bindgen::JsValue;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// Device pixels per CSS pixel (2 on most HiDPI screens).
pub fn device_pixel_ratio() -> f64 {
    window()
        .map(|w| w.device_pixel_ratio())
        .filter(|r| *r > 0.0)
        .unwrap_or(1.0)
}

/// Wall-clock time of `ms` in the viewer's time zone.
pub fn local_date_parts(ms: i64) -> DateParts {
    let d = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    DateParts {
        year: d.get_full_year() as i32,
        month: d.get_month() as u8 + 1,
        day: d.get_date() as u8,
        hour: d.get_hours() as u8,
        minute: d.get_minutes() as u8,
        second: d.get_seconds() as u8,
    }
}

/// The viewer's current offset from UTC in milliseconds (UTC+1 is +3_600_000).
pub fn utc_offset_ms() -> i64 {
    -(js_sys::Date::new_0().get_timezone_offset() * 60_000.0) as i64
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Installs the offline service worker (`/sw.js`, served by sensorboard).
/// Browsers without service workers, or a page not served over HTTPS or
/// localhost, simply go without.
#[cfg(feature = "hydrate")]
pub fn register_service_worker() {
    let Some(w) = window() else { return };
    if !js_sys::Reflect::has(&w.navigator(), &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return;
    }
    let _registering = w.navigator().service_worker().register("/sw.js");
}

/// The text of the file chosen in the `<input type="file">` that `ev`
/// came from, with its name; `None` when none was chosen or it could not
/// be read as text.
pub async fn chosen_file_text(ev: &web_sys::Event) -> Option<(String, String)> {
    use wasm_bindgen::JsCast;
    let input: web_sys::HtmlInputElement = ev.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?
        .as_string()?;
    // Choosing the same file again fires `change` again.
    input.set_value("");
    Some((file.name(), text))
}

/// True while the tab is in the background (Page Visibility API).
pub fn document_hidden() -> bool {
    window().and_then(|w| w.document()).is_some_and(|d| d.hidden())
}

/// The page theme: the toggle's remembered choice, else the system's.
pub mod theme {
    use super::window;

    const KEY: &str = "sensorboard-theme";

    /// Applies the remembered choice (if any) and says whether the page is dark.
    pub fn is_dark() -> bool {
        let stored = storage().and_then(|s| s.get_item(KEY).ok().flatten());
        match stored.as_deref() {
            Some("dark") => apply("dark", true),
            Some("light") => apply("light", false),
            _ => system_dark(),
        }
    }

    /// Remembers and applies the toggle's choice.
    pub fn choose(dark: bool) {
        let name = if dark { "dark" } else { "light" };
        if let Some(s) = storage() {
            let _ = s.set_item(KEY, name);
        }
        apply(name, dark);
    }

    fn apply(name: &str, dark: bool) -> bool {
        if let Some(html) = window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = html.set_attribute("data-theme", name);
        }
        dark
    }

    fn system_dark() -> bool {
        window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches())
    }

    fn storage() -> Option<web_sys::Storage> {
        window()?.local_storage().ok().flatten()
    }
}

/// Loads `path` as a new page (a full navigation, not the router's).
pub fn go_to(path: &str) {
    if let Some(w) = window() {
        let _ = w.location().assign(path);
    }
}

/// Shows `el` on the whole screen, or leaves the full screen when
/// something already fills it (Escape leaves it too).
pub fn toggle_full_screen(el: &web_sys::Element) {
    let Some(document) = window().and_then(|w| w.document()) else {
        return;
    };
    if document.fullscreen_element().is_some() {
        document.exit_fullscreen();
    } else {
        let _ = el.request_fullscreen();
    }
}

/// The `content` of `<meta name=...>`, if the page has one.
pub fn meta_content(name: &str) -> Option<String> {
    let document = window()?.document()?;
    let meta = document.query_selector(&format!("meta[name=\"{name}\"]")).ok()??;
    meta.get_attribute("content")
}

/// Calls `on_resize` whenever `el` changes size, until the watch is
/// dropped.
pub fn watch_resize(el: &web_sys::Element, on_resize: impl Fn() + 'static) -> Option<ResizeWatch> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    let callback = Closure::<dyn Fn()>::new(on_resize);
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(el);
    Some(ResizeWatch {
        observer,
        _callback: callback,
    })
}

/// A live `ResizeObserver`; dropping it stops the observation.
pub struct ResizeWatch {
    observer: web_sys::ResizeObserver,
    _callback: wasm_bindgen::closure::Closure<dyn Fn()>,
}

impl Drop for ResizeWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// The `<details>` element an event happened in (or on).
pub fn enclosing_details(ev: &web_sys::Event) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;

    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    el.closest("details").ok().flatten()
}

/// Asks `question` in the browser's own dialog; false when refused or
/// when no dialog can be shown.
pub fn confirm(question: &str) -> bool {
    window().is_some_and(|w| w.confirm_with_message(question).unwrap_or(false))
}

/// Focuses the first element `selector` names, if any.
pub fn focus_first(selector: &str) {
    use wasm_bindgen::JsCast;

    let link = window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(link) = link {
        let _ = link.focus();
    }
}

/// Moves the focus `delta` links on among the links inside the element
/// that handled `ev` (a list), staying within it.
pub fn move_focus_among_links(ev: &web_sys::KeyboardEvent, delta: i32) {
    use wasm_bindgen::JsCast;

    let Some(list) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return;
    };
    let Ok(links) = list.query_selector_all("a") else {
        return;
    };
    let active = window().and_then(|w| w.document()).and_then(|d| d.active_element());
    let len = links.length() as i32;
    let here = (0..len).find(|&i| {
        let node = links.item(i as u32);
        node.is_some() && active.as_ref().map(|a| a.as_ref() as &web_sys::Node) == node.as_ref()
    });
    let next = here.map_or(0, |i| (i + delta).clamp(0, len - 1));
    if let Some(el) = links
        .item(next as u32)
        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The duration of one chart drawing, published as the User Timing
/// measure `sensorboard:draw`, so the browser's performance tools (and the
/// redraw benchmark) see every redraw. Only the latest is kept: a wall
/// screen redraws all day.
pub struct DrawTiming;

const DRAW_START: &str = "sensorboard:draw-start";
const DRAW: &str = "sensorboard:draw";

impl DrawTiming {
    pub fn start() -> Self {
        if let Some(perf) = performance() {
            perf.clear_marks_with_mark_name(DRAW_START);
            let _ = perf.mark(DRAW_START);
        }
        DrawTiming
    }

    pub fn finish(self) {
        if let Some(perf) = performance() {
            perf.clear_measures_with_measure_name(DRAW);
            let _ = perf.measure_with_start_mark(DRAW, DRAW_START);
        }
    }
}

fn performance() -> Option<web_sys::Performance> {
    window()?.performance()
}
