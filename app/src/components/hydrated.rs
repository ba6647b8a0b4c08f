//! Whether the page is live in the browser yet. Controls that only work
//! once the wasm runs stay disabled until then, so an early click or
//! keystroke is not silently lost.

use leptos::prelude::*;

/// False while server-rendered, true once hydrated (effects run only in
/// the browser).
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set) = signal(false);
    Effect::new(move |_| set.set(true));
    hydrated
}
