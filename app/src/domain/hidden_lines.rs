//! Which lines of which panels the legend has hidden, as the dashboard
//! URL keeps them: one `hide=<panel>:<series key>` per hidden line, the
//! panel by its position, the line by its key (a selector's lines come
//! and go with the data, so their position says nothing).

use super::encode_query_value;

/// Hidden lines, in the order they were hidden.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HiddenLines(Vec<(usize, String)>);

impl HiddenLines {
    /// From the URL's `hide` values; malformed ones are ignored.
    pub fn from_params<S: AsRef<str>>(values: &[S]) -> Self {
        let mut hidden = HiddenLines::default();
        for v in values {
            if let Some((panel, key)) = v.as_ref().split_once(':') {
                if let (Ok(panel), false) = (panel.parse(), key.is_empty()) {
                    hidden.insert(panel, key);
                }
            }
        }
        hidden
    }

    /// The query-string part (`&hide=...` per line), empty when none is hidden.
    pub fn to_query_part(&self) -> String {
        self.0
            .iter()
            .map(|(panel, key)| format!("&hide={}", encode_query_value(&format!("{panel}:{key}"))))
            .collect()
    }

    pub fn is_hidden(&self, panel: usize, key: &str) -> bool {
        self.0.iter().any(|(p, k)| *p == panel && k == key)
    }

    /// A plain click on a legend entry: hidden lines show, shown ones hide.
    pub fn toggled(&self, panel: usize, key: &str) -> Self {
        let mut next = self.clone();
        if self.is_hidden(panel, key) {
            next.0.retain(|(p, k)| !(*p == panel && k == key));
        } else {
            next.insert(panel, key);
        }
        next
    }

    /// A click with a modifier: only `key` shows among the panel's `keys`;
    /// when it already was the only one shown, every line shows again.
    pub fn isolated(&self, panel: usize, key: &str, keys: &[String]) -> Self {
        let mut next = self.clone();
        next.0.retain(|(p, _)| *p != panel);
        let alone = keys.iter().all(|k| (k == key) != self.is_hidden(panel, k));
        if !alone {
            for k in keys.iter().filter(|k| *k != key) {
                next.insert(panel, k);
            }
        }
        next
    }

    fn insert(&mut self, panel: usize, key: &str) {
        if !self.is_hidden(panel, key) {
            self.0.push((panel, key.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_url_form_reads_back_and_skips_what_is_malformed() {
        let hidden = HiddenLines::from_params(&["0:demo.temp", "2:cpu{host=\"a,b\"}", "x:y", "3:", "nocolon"]);
        assert!(hidden.is_hidden(0, "demo.temp"));
        assert!(hidden.is_hidden(2, "cpu{host=\"a,b\"}"));
        assert!(!hidden.is_hidden(1, "demo.temp"));
        assert_eq!(
            hidden.to_query_part(),
            "&hide=0%3Ademo.temp&hide=2%3Acpu%7Bhost%3D%22a%2Cb%22%7D"
        );
        assert_eq!(HiddenLines::default().to_query_part(), "");
    }

    #[test]
    fn a_click_hides_and_a_second_click_shows_again() {
        let hidden = HiddenLines::default().toggled(1, "a");
        assert!(hidden.is_hidden(1, "a") && !hidden.is_hidden(0, "a"));
        assert_eq!(hidden.toggled(1, "a"), HiddenLines::default());
    }

    #[test]
    fn isolating_shows_one_line_and_isolating_it_again_shows_all() {
        let all = keys(&["a", "b", "c"]);
        let start = HiddenLines::default().toggled(0, "a").toggled(4, "z");
        let only_b = start.isolated(0, "b", &all);
        assert!(only_b.is_hidden(0, "a") && only_b.is_hidden(0, "c") && !only_b.is_hidden(0, "b"));
        assert!(only_b.is_hidden(4, "z"), "other panels keep their choice");
        let back = only_b.isolated(0, "b", &all);
        assert!(all.iter().all(|k| !back.is_hidden(0, k)));
        assert!(back.is_hidden(4, "z"));
        let only_c = only_b.isolated(0, "c", &all);
        assert!(!only_c.is_hidden(0, "c") && only_c.is_hidden(0, "b"));
    }
}
