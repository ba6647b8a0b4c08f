use leptos::prelude::*;

/// Shown for unknown paths; the server's fallback handler answers it with 404.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="page">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to the dashboard"</a></p>
        </main>
    }
}
