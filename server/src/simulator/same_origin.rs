//! `/sim/control` and `/sim/journal` answer only this server's own pages
//! and tools that are not browsers (tests, curl).
//!
//! The control API resets the simulator and sets faults; the journal lists
//! what the app sent. Neither answers CORS, so a page elsewhere cannot read
//! them, and a request a browser sends for another site's page is refused
//! outright: a "simple" cross-site POST (no preflight) would otherwise
//! still reach the handler. Browsers name the calling site in `Origin`
//! (every non-GET request) and `Sec-Fetch-Site`; tools send neither.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::Simulator;
use crate::json_error::json_error;

/// `host[:port]` of an origin or URL, lowercased, without the scheme.
fn authority(origin: &str) -> String {
    let rest = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    rest.trim_end_matches('/').to_ascii_lowercase()
}

/// Why a request comes from another site's page, if it does.
pub fn cross_site(headers: &HeaderMap, public_url: Option<&str>) -> Option<String> {
    let fetch_site = headers
        .get("sec-fetch-site")
        .map(|v| v.to_str().unwrap_or("?"));
    if let Some(site) = fetch_site.filter(|s| !matches!(*s, "same-origin" | "none")) {
        return Some(format!("the browser says the caller is {site}"));
    }
    let origin = headers.get(header::ORIGIN)?.to_str().unwrap_or("?");
    // `Origin: null` with no Sec-Fetch-Site is a tool (Node's fetch sends
    // it); a browser's opaque origin always comes with Sec-Fetch-Site.
    if origin == "null" && fetch_site.is_none() {
        return None;
    }
    let own = match public_url {
        Some(url) => authority(url),
        None => authority(headers.get(header::HOST)?.to_str().unwrap_or("")),
    };
    (authority(origin) != own).then(|| format!("Origin {origin} is not this server"))
}

/// The middleware: 403 (no CORS headers) for another site's page.
pub async fn same_origin_only(
    State(sim): State<Arc<Simulator>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(why) = cross_site(request.headers(), sim.public_url.as_deref()) {
        return json_error(
            StatusCode::FORBIDDEN,
            format!("/sim/control and /sim/journal answer only this server's own pages: {why}"),
        );
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn tools_and_own_pages_pass_other_sites_do_not() {
        let host = ("host", "127.0.0.1:8080");
        assert_eq!(cross_site(&headers(&[host]), None), None);
        let own = [
            host,
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "same-origin"),
        ];
        assert_eq!(cross_site(&headers(&own), None), None);
        assert_eq!(
            cross_site(&headers(&[host, ("origin", "null")]), None),
            None
        );
        for refused in [
            vec![host, ("origin", "http://evil.example")],
            vec![host, ("origin", "http://127.0.0.1:9999")],
            vec![host, ("origin", "null"), ("sec-fetch-site", "cross-site")],
            vec![host, ("sec-fetch-site", "same-site")],
        ] {
            assert!(
                cross_site(&headers(&refused), None).is_some(),
                "{refused:?}"
            );
        }
        let public = Some("https://studio.example");
        let behind_tls = [
            ("host", "studio.example"),
            ("origin", "https://studio.example"),
        ];
        assert_eq!(cross_site(&headers(&behind_tls), public), None);
    }
}
