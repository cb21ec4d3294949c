//! The server's fal key, wrapped so that no `{:?}` or `{}` can print it.

use std::fmt;

/// A fal key (`id:secret`). Its `Debug` and `Display` print a placeholder,
/// so logging a config or an error that holds it cannot leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct FalKey(String);

impl FalKey {
    /// `None` for an empty or blank value, so `FAL_KEY=` means "no key".
    pub fn new(key: impl Into<String>) -> Option<Self> {
        let key = key.into().trim().to_owned();
        (!key.is_empty()).then_some(Self(key))
    }

    /// The `Authorization` header value fal expects.
    pub fn authorization(&self) -> String {
        format!("Key {}", self.0)
    }

    /// The raw key, for the one place that needs to compare against it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for FalKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FalKey([redacted])")
    }
}

impl fmt::Display for FalKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_formats_the_key() {
        let key = FalKey::new("abc:supersecret").unwrap();
        assert!(!format!("{key:?} {key}").contains("supersecret"));
        assert_eq!(key.authorization(), "Key abc:supersecret");
        assert!(FalKey::new("  ").is_none());
    }
}
