//! The key check fal's queue and REST hosts make. The simulator accepts any
//! key of fal's shape (`Key <id>:<secret>`), so the app's own-key path can
//! be exercised without a real key; `Key invalid:<anything>` is refused as
//! an unknown key, to exercise the app's "key rejected" handling.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::json_error::json_response;

/// fal's 401 for a failed key check.
pub fn unauthorized(detail: &str) -> Response {
    json_response(StatusCode::UNAUTHORIZED, &json!({ "detail": detail }))
}

/// `Ok` when the request carries a key of fal's shape, else fal's reason.
pub fn check_key(headers: &HeaderMap) -> Result<(), &'static str> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err("Authorization header is required");
    };
    let value = value.to_str().unwrap_or("");
    let Some(key) = value.strip_prefix("Key ") else {
        return Err("Invalid authorization header: expected `Key <key_id>:<key_secret>`");
    };
    let shaped = key.split_once(':').is_some_and(|(id, secret)| {
        !id.is_empty()
            && !secret.is_empty()
            && !secret.contains(':')
            && !key.chars().any(char::is_whitespace)
    });
    if !shaped {
        return Err("Invalid key format: expected `<key_id>:<key_secret>`");
    }
    if key.starts_with("invalid:") {
        return Err("No user found for Key ID and Secret");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn check(value: Option<&'static str>) -> Result<(), u16> {
        let mut headers = HeaderMap::new();
        if let Some(v) = value {
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(v));
        }
        check_key(&headers).map_err(|why| unauthorized(why).status().as_u16())
    }

    #[test]
    fn accepts_only_fal_shaped_keys() {
        assert_eq!(check(Some("Key abc:def")), Ok(()));
        assert_eq!(check(None), Err(401));
        assert_eq!(check(Some("Bearer abc:def")), Err(401));
        assert_eq!(check(Some("Key abcdef")), Err(401));
        assert_eq!(check(Some("Key :def")), Err(401));
        assert_eq!(check(Some("Key a:b:c")), Err(401));
        assert_eq!(check(Some("Key invalid:x")), Err(401));
    }
}
