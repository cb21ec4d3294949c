//! The origin (`http://host:port`) this server is reached at, for URLs it
//! hands out (simulated upload and file URLs, config.json base URLs).

use axum::http::{header, HeaderMap};

/// `--public-url` when given, else `http://` + the request's `Host`, if that
/// looks like a host. `None` when neither is usable.
pub fn request_origin(headers: &HeaderMap, public_url: Option<&str>) -> Option<String> {
    if let Some(url) = public_url {
        return Some(url.trim_end_matches('/').to_owned());
    }
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let plausible = !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    plausible.then(|| format!("http://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn uses_the_host_header_unless_overridden() {
        let mut headers = HeaderMap::new();
        assert_eq!(request_origin(&headers, None), None);
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert_eq!(
            request_origin(&headers, None).as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            request_origin(&headers, Some("https://studio.example/")).as_deref(),
            Some("https://studio.example")
        );
        headers.insert(header::HOST, HeaderValue::from_static("evil/x?y"));
        assert_eq!(request_origin(&headers, None), None);
    }
}
