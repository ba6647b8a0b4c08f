//! What the page shows instead of charts: while loading, when there is no
//! data yet, and when the server answered with an error.

use leptos::prelude::*;

/// Grey placeholders the size of panels, so the layout does not jump.
#[component]
pub fn PanelSkeletons() -> impl IntoView {
    view! {
        <section class="grid" aria-busy="true" aria-label="Loading charts">
            {(0..4).map(|_| view! { <div class="panel skeleton"></div> }).collect_view()}
        </section>
    }
}

/// No series exist yet: say how to send the first point.
#[component]
pub fn EmptyState() -> impl IntoView {
    let example = r#"TOKEN=$(sensorboard token create --name first --scope write)
curl -X POST http://127.0.0.1:3000/api/v1/write -H "Authorization: Bearer $TOKEN" \
  -d '{"points":[{"series":"room.temperature","unit":"°C","v":21.5}]}'"#;
    view! {
        <section class="empty">
            <h2>"No data yet"</h2>
            <p>"Make a write token on the server's machine, send a first point, and reload this page:"</p>
            <pre><code>{example}</code></pre>
            <p>"Or start the server with " <code>"--demo"</code> " to see generated sensor data."</p>
        </section>
    }
}

/// The server's message when something the page needs failed; `what`
/// completes "The server could not …".
#[component]
pub fn ErrorBanner(what: &'static str, message: String) -> impl IntoView {
    view! {
        <p class="banner banner-error" role="alert">
            "The server could not " {what} ": " {message}
        </p>
    }
}
