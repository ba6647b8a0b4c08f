//! The wasm entry points. `hydrate` makes the server-rendered page live
//! (the normal build); `start` renders the whole app in the browser for the
//! static, client-only build that Trunk makes.

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    app::register_service_worker();
}

#[cfg(all(feature = "csr", not(feature = "hydrate")))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    app::use_configured_server();
    leptos::mount::mount_to_body(app::App);
}
