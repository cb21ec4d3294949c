//! Reading and writing a URL's query (`a=1&b=two%20words`), for share links.
//!
//! Writing escapes everything but RFC 3986's unreserved characters, so a
//! prompt with `&`, `#`, `+` or emoji survives any host and any copy-paste.
//! Reading follows `application/x-www-form-urlencoded` (what browsers and
//! `URLSearchParams` produce): `+` is a space, and a broken `%` escape is
//! kept as written rather than refusing the whole link.

/// Percent-encodes `text` for use as a query key or value.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte))
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Decodes one key or value: `+` is a space, `%XX` a byte; the bytes are
/// read as UTF-8 (invalid sequences become U+FFFD, never an error).
pub fn decode_component(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// The query's pairs in order, decoded. Accepts a leading `?`; a pair
/// without `=` has an empty value; empty pieces (`a=1&&b=2`) are skipped.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| match piece.split_once('=') {
            Some((key, value)) => (decode_component(key), decode_component(value)),
            None => (decode_component(piece), String::new()),
        })
        .collect()
}

/// Builds a query (without `?`) from pairs, in order.
pub fn build_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(key, value)| format!("{}={}", encode_component(key), encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `query` without the pairs whose (decoded) key satisfies `drop`; the
/// other pairs keep their original spelling. No leading `?` in the result.
pub fn without_keys(query: &str, drop: impl Fn(&str) -> bool) -> String {
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|piece| !piece.is_empty())
        .filter(|piece| {
            let key = piece.split_once('=').map_or(*piece, |(k, _)| k);
            !drop(&decode_component(key))
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_keeps_only_unreserved_characters() {
        assert_eq!(encode_component("aZ09-._~"), "aZ09-._~");
        assert_eq!(
            encode_component("A cat & a dog: 50% #1+2=3?/"),
            "A%20cat%20%26%20a%20dog%3A%2050%25%20%231%2B2%3D3%3F%2F"
        );
        assert_eq!(encode_component("é🐨"), "%C3%A9%F0%9F%90%A8");
    }

    #[test]
    fn decoding_reverses_encoding_for_any_text() {
        for text in [
            "",
            "plain",
            "A cat & a dog: 50% #1+2=3?/",
            "é🐨\n\ttabs",
            "%%%",
            "https://v3.fal.media/files/a b.png?x=1&y=2",
        ] {
            assert_eq!(decode_component(&encode_component(text)), text, "{text}");
        }
    }

    #[test]
    fn decoding_reads_what_browsers_write() {
        assert_eq!(decode_component("two+words"), "two words");
        assert_eq!(decode_component("caf%c3%a9"), "café");
        // Broken escapes are kept as written.
        assert_eq!(decode_component("100%"), "100%");
        assert_eq!(decode_component("%zz%4"), "%zz%4");
        assert_eq!(decode_component("%E2%82"), "\u{FFFD}");
    }

    #[test]
    fn a_query_parses_into_ordered_pairs() {
        assert_eq!(
            parse_query("?a=1&b=two+words&&flag&image=x&image=y"),
            vec![
                ("a".to_string(), "1".to_string()),
                ("b".into(), "two words".into()),
                ("flag".into(), String::new()),
                ("image".into(), "x".into()),
                ("image".into(), "y".into()),
            ]
        );
        assert!(parse_query("").is_empty());
        assert!(parse_query("?").is_empty());
    }

    #[test]
    fn build_and_parse_round_trip() {
        let query = build_query([("prompt", "A & B = C"), ("image", "https://x/a.png?s=1")]);
        assert_eq!(
            parse_query(&query),
            vec![
                ("prompt".to_string(), "A & B = C".to_string()),
                ("image".into(), "https://x/a.png?s=1".into())
            ]
        );
    }

    #[test]
    fn dropping_keys_keeps_the_rest_as_written() {
        assert_eq!(
            without_keys("?embed=1&prompt=a+b&x=%41", |k| k == "prompt"),
            "embed=1&x=%41"
        );
        assert_eq!(without_keys("prompt=1", |k| k == "prompt"), "");
    }
}
