//! Where signing in leads back to: a path of this site only, so a link
//! to the sign-in page cannot send a user on to another site (an open
//! redirect).

/// `next` when it is a path on this origin (`/`, `/explore?q=x`), else `/`.
/// `//host` and `/\host` are refused: browsers read them as other hosts.
pub fn return_path(next: Option<&str>) -> &str {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && !p.chars().any(char::is_control) =>
        {
            p
        }
        _ => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site() {
        assert_eq!(return_path(Some("/explore?q=temp")), "/explore?q=temp");
        assert_eq!(return_path(Some("/?d=2&range=6h")), "/?d=2&range=6h");
        assert_eq!(return_path(None), "/");
        for evil in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "",
            "/a\nb",
        ] {
            assert_eq!(return_path(Some(evil)), "/", "{evil:?}");
        }
    }
}
