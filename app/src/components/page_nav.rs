//! The links between the app's pages, the theme toggle and the sign-out
//! button, in the top bar.

use super::{SignOut, ThemeToggle};
use leptos::prelude::*;

/// `current` is `dashboards`, `explore`, `alerts`, `system` or another page (none marked).
#[component]
pub fn PageNav(current: &'static str) -> impl IntoView {
    let mark = move |page: &str| (page == current).then_some("page");
    view! {
        <nav class="pages" aria-label="Pages">
            <a href="/" aria-current=mark("dashboards")>"Dashboards"</a>
            <a href="/explore" aria-current=mark("explore")>"Explore"</a>
            <a href="/alerts" aria-current=mark("alerts")>"Alerts"</a>
            <a href="/system" aria-current=mark("system")>"System"</a>
        </nav>
        <ThemeToggle/>
        <SignOut/>
    }
}
