//! Percent-encoding of a query-string value (series keys hold `{`, `"`,
//! `=` and spaces), the same on the server and in the browser.

/// `text` with every byte outside RFC 3986's unreserved set percent-encoded.
pub fn encode_query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_non_ascii_bytes_are_encoded() {
        assert_eq!(encode_query_value("demo.temp"), "demo.temp");
        assert_eq!(
            encode_query_value("cpu{host=\"a b\"}&x"),
            "cpu%7Bhost%3D%22a%20b%22%7D%26x"
        );
        assert_eq!(encode_query_value("°C"), "%C2%B0C");
    }
}
