//! Why an endpoint id, base URL or request id cannot be used: one error for
//! the three parsers that build queue URLs, so a config problem reads the
//! same wherever it is found.

/// Why an endpoint id, base URL or request id cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// Not `owner/alias[/path]`.
    BadEndpointId(String),
    /// A base URL that is not `http(s)://host[:port][/prefix]`.
    BadBaseUrl(String),
    /// A request id with characters that do not belong in one URL segment.
    BadRequestId(String),
}

impl std::fmt::Display for EndpointError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EndpointError::BadEndpointId(id) => {
                write!(
                    f,
                    "The endpoint id {id:?} is not of the form owner/app[/path]."
                )
            }
            EndpointError::BadBaseUrl(base) => write!(
                f,
                "The base URL {base:?} must be http(s)://host[/prefix], with no query or user name."
            ),
            EndpointError::BadRequestId(id) => {
                write!(f, "fal returned a request id that cannot be used: {id:?}.")
            }
        }
    }
}
