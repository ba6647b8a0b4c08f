//! The HTML document around the app, and the app's routes.

use crate::pages::{AlertsPage, DashboardPage, EditorPage, ExplorerPage, NotFound, SignInPage, SystemPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, StaticSegment};

/// The server-rendered document: head with styles and hydration scripts.
/// `signed_in`: the browser sent its session cookie, so the page offers
/// to sign out.
pub fn shell(options: LeptosOptions, signed_in: bool) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                // First in <head>: it governs every script after it.
                <meta http-equiv="Content-Security-Policy" content=content_security_policy()/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <meta name="description" content="Live and historical charts of your sensors"/>
                <meta name="theme-color" content="#1d4ed8"/>
                {signed_in.then(|| view! { <meta name=crate::components::SIGNED_IN_META content="signed-in"/> })}
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <Stylesheet id="leptos" href="/pkg/sensorboard.css"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The page's Content Security Policy: scripts only from this origin or
/// inline with this response's nonce (the hydration script), wasm
/// compilation allowed, no inline styles, no plugins, no `<base>`.
/// `frame-ancestors` cannot be set from a `<meta>`; the server sends it as
/// a header on every response.
fn content_security_policy() -> String {
    let nonce = leptos::nonce::use_nonce()
        .map(|n| format!(" 'nonce-{n}'"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
    )
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::components::ThemeState::provide();
    view! {
        <Title text="sensorboard"/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=StaticSegment("") view=DashboardPage/>
                <Route path=StaticSegment("new") view=EditorPage/>
                <Route path=StaticSegment("explore") view=ExplorerPage/>
                <Route path=StaticSegment("sign-in") view=SignInPage/>
                <Route path=StaticSegment("system") view=SystemPage/>
                <Route path=StaticSegment("alerts") view=AlertsPage/>
                <Route path=(StaticSegment("d"), ParamSegment("id"), StaticSegment("edit")) view=EditorPage/>
            </Routes>
        </Router>
    }
}
