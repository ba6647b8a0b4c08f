//! "Sign out", in the top bar of a browser that signed in: ends the
//! session (`DELETE /api/v1/session`, whose answer clears the site's
//! caches and storage, and which the service worker takes as the signal
//! to drop every answer it kept), then goes to the dashboard, which asks
//! for a token again where reads need one.

use leptos::prelude::*;

/// The server marks a page rendered for a signed-in browser with this
/// `<meta>` (see `shell`).
pub const SIGNED_IN_META: &str = "sensorboard-session";

#[component]
pub fn SignOut() -> impl IntoView {
    // Shown once the page is live: the server's markup and the first
    // render in the browser stay the same, so hydration matches.
    let shown = RwSignal::new(false);
    #[cfg(feature = "browser")]
    Effect::new(move |_| shown.set(crate::browser::meta_content(SIGNED_IN_META).is_some_and(|v| v == "signed-in")));
    let busy = RwSignal::new(false);
    let sign_out = move |_| {
        busy.set(true);
        #[cfg(feature = "browser")]
        leptos::task::spawn_local(async move {
            let url = format!("{}/api/v1/session", leptos::server_fn::client::get_server_url());
            // Whatever the answer, the page leaves: a failed sign-out shows
            // as still signed in on the next page.
            let _ = gloo_net::http::Request::delete(&url).send().await;
            crate::browser::go_to("/");
        });
    };
    move || {
        shown.get().then(|| {
            view! {
                <button type="button" class="sign-out" on:click=sign_out disabled=move || busy.get()>
                    "Sign out"
                </button>
            }
        })
    }
}
