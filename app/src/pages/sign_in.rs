//! `/sign-in?next=..`: where a browser lands when reads need a token. The
//! form posts to `/api/v1/session`, which keeps the token in a cookie for
//! this browser session and sends the browser back to `next`. It works
//! before (and without) the wasm. Ticking "keep answers" lets the service
//! worker keep what this browser reads for offline use until it signs out;
//! otherwise it keeps only the app itself.

use crate::domain::return_path;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || return_path(query.read().get("next").as_deref()).to_owned();
    let failed = move || query.read().get("failed").is_some();
    view! {
        <header class="topbar">
            <h1 class="brand">"sensorboard"</h1>
        </header>
        <main class="page sign-in">
            <h2>"Sign in"</h2>
            <p>"This server shows its data only with a token that has the read scope. It is kept until the browser closes."</p>
            {move || failed().then(|| view! {
                <p class="banner banner-error" role="alert">"That token is not valid or has no read scope."</p>
            })}
            <form method="post" action="/api/v1/session" class="sign-in-form">
                <label for="sign-in-token">"Token"</label>
                <input id="sign-in-token" name="token" type="password" autocomplete="current-password" required=true/>
                <input type="hidden" name="next" value=next/>
                <label class="check">
                    <input type="checkbox" name="offline"/>
                    " Keep answers on this device, to see them offline (until you sign out)"
                </label>
                <button type="submit" class="primary">"Sign in"</button>
            </form>
            <p class="hint">
                "No token? Whoever runs the server makes one: "
                <code>"sensorboard token create --name <you> --scope read"</code>
            </p>
        </main>
    }
}
