//! HTTP exchanges as plain data.
//!
//! The core never performs a request: it hands the web layer an
//! [`HttpRequest`] and later reads the [`HttpResponse`] the web layer filled
//! in. Keeping both as data is what lets every protocol rule be unit-tested
//! natively, and lets the server's simulator reuse the same descriptions.

/// The methods fal's protocol uses (fal-js sends no others).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
}

impl Method {
    /// The wire name, as `fetch` expects it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// What a request carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// GET requests and fal's body-less cancel `PUT`.
    None,
    /// A JSON document, already serialised.
    Json(String),
    /// Bytes `start..end` of the local file being uploaded.
    ///
    /// The core never holds file bytes (a reference video can be 100 MB):
    /// the web layer slices the `Blob` it already has. `content_type` is what
    /// the slice is labelled with (`Blob.slice(start, end, type)`); `None`
    /// leaves it unlabelled, as fal-js does for multipart parts.
    FileSlice {
        start: u64,
        end: u64,
        content_type: Option<String>,
    },
}

impl Body {
    /// Number of bytes the body will have on the wire.
    pub fn len(&self) -> u64 {
        match self {
            Body::None => 0,
            Body::Json(text) => text.len() as u64,
            Body::FileSlice { start, end, .. } => end.saturating_sub(*start),
        }
    }

    /// True for a body with no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One request, ready for the web layer to send as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    /// Absolute URL, or a path on the page's own site for a relative proxy.
    pub url: String,
    /// In the order they should be set. Names are as fal's clients spell
    /// them; HTTP treats them case-insensitively.
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl HttpRequest {
    /// A request with no headers and no body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Body::None,
        }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body (builder style).
    pub fn with_body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// The first value of header `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// An answer as the web layer received it.
///
/// The body is text: every answer fal's protocol defines is JSON, and the
/// video itself is played from its URL, never read through here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    /// An answer with no headers.
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header (builder style; handy in tests and the simulator).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The first value of header `name`, compared case-insensitively
    /// (`X-Fal-Request-Id` and `x-fal-request-id` are the same header).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// True for 2xx answers.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lookup_ignores_case_and_keeps_order() {
        let response = HttpResponse::new(202, "{}")
            .with_header("X-Fal-Request-Id", " 764cabcf-b745 ")
            .with_header("x-fal-request-id", "second");
        assert_eq!(response.header("x-fal-request-id"), Some("764cabcf-b745"));
        assert_eq!(response.header("X-FAL-REQUEST-ID"), Some("764cabcf-b745"));
        assert_eq!(response.header("retry-after"), None);
        assert!(response.is_success());
        assert!(!HttpResponse::new(422, "").is_success());
        assert!(!HttpResponse::new(199, "").is_success());

        let request = HttpRequest::new(Method::Put, "https://queue.fal.run/x")
            .with_header("Accept", "application/json")
            .with_header("Content-Type", "application/json");
        assert_eq!(request.headers[0].0, "Accept");
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(request.method.as_str(), "PUT");
    }

    #[test]
    fn body_length_is_what_goes_on_the_wire() {
        assert_eq!(Body::None.len(), 0);
        assert!(Body::None.is_empty());
        assert_eq!(Body::Json("{\"a\":1}".into()).len(), 7);
        let slice = Body::FileSlice {
            start: 10,
            end: 25,
            content_type: None,
        };
        assert_eq!(slice.len(), 15);
        assert!(!slice.is_empty());
    }
}
