//! An access code the deployer handed out for their proxy
//! (`wan-r2v-server --access-codes`). It is a secret like a fal key: its
//! `Debug` is redacted, and only [`crate::core::fal::transport`] puts it in
//! a request, in one header, to the proxy only.

/// Longest code accepted: the server's codes are 68 characters
/// (`wan_` + 64 hex digits); hand-written ones get generous room, but a
/// pasted page of text is refused rather than sent on every call.
pub const MAX_LEN: usize = 256;

/// The header the proxy reads the code from.
pub const ACCESS_CODE_HEADER: &str = "x-wan-access-code";

/// A code, trimmed and checked to be sendable as a header value.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessCode(String);

/// Why text is not a usable access code, worded for the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessCodeError {
    Empty,
    TooLong,
    /// Spaces inside, control characters or non-ASCII: a header value could
    /// not carry it unchanged, and no handed-out code contains them.
    BadCharacters,
}

impl std::fmt::Display for AccessCodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AccessCodeError::Empty => "Enter the access code you were given.",
            AccessCodeError::TooLong => {
                "This is longer than any access code (256 characters at most). Copy only the code."
            }
            AccessCodeError::BadCharacters => {
                "An access code has no spaces or special characters. Copy it again, exactly as you were given it."
            }
        })
    }
}

impl AccessCode {
    /// Trims surrounding white space and checks the rest is visible ASCII.
    pub fn parse(text: &str) -> Result<Self, AccessCodeError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AccessCodeError::Empty);
        }
        if text.len() > MAX_LEN {
            return Err(AccessCodeError::TooLong);
        }
        if !text.chars().all(|c| c.is_ascii_graphic()) {
            return Err(AccessCodeError::BadCharacters);
        }
        Ok(Self(text.to_owned()))
    }

    /// The code itself, for the header or for storing when the person opted
    /// in. Deliberately not `Display`.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for AccessCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_trimmed_and_kept_as_given() {
        let code = AccessCode::parse("  wan_3f5c09ab\n").unwrap();
        assert_eq!(code.expose(), "wan_3f5c09ab");
    }

    #[test]
    fn unusable_text_is_refused_with_its_reason() {
        assert_eq!(AccessCode::parse("  "), Err(AccessCodeError::Empty));
        assert_eq!(
            AccessCode::parse("wan 3f"),
            Err(AccessCodeError::BadCharacters)
        );
        assert_eq!(
            AccessCode::parse("wan\u{7f}x"),
            Err(AccessCodeError::BadCharacters)
        );
        assert_eq!(
            AccessCode::parse("wan_é"),
            Err(AccessCodeError::BadCharacters)
        );
        let long = "a".repeat(MAX_LEN + 1);
        assert_eq!(AccessCode::parse(&long), Err(AccessCodeError::TooLong));
        assert!(AccessCode::parse(&"a".repeat(MAX_LEN)).is_ok());
    }

    #[test]
    fn debug_output_never_shows_the_code() {
        let code = AccessCode::parse("wan_secret123").unwrap();
        assert!(!format!("{code:?}").contains("secret123"));
    }
}
