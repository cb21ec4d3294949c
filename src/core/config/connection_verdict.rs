//! What the Connection panel says after "Test connection": whether the key
//! and the route work, in a sentence, and, when nothing answered at all,
//! what to check for the mode in use (the proxy, or the browser's reach to
//! fal).

use crate::core::config::connection_mode::ConnectionMode;
use crate::core::fal::connection_check::ConnectionCheck;
use crate::core::fal::error::FalErrorKind;

/// The line under the button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionVerdict {
    /// Shown as a success (green) rather than a failure.
    pub ok: bool,
    pub message: String,
}

impl ConnectionVerdict {
    /// No usable key yet, so there is nothing to test.
    pub fn needs_key() -> Self {
        Self::failed("Enter a valid fal key first.")
    }

    /// `config.json`'s endpoint cannot be turned into a queue address.
    pub fn unusable_endpoint() -> Self {
        Self::failed("config.json names an endpoint that cannot be used.")
    }

    /// The verdict on `check`, made in `mode`.
    pub fn of(check: &ConnectionCheck, mode: ConnectionMode) -> Self {
        match check {
            ConnectionCheck::Works => Self {
                ok: true,
                message: check.message(),
            },
            ConnectionCheck::Failed(error) if matches!(error.kind, FalErrorKind::Network(_)) => {
                Self::failed(format!(
                    "{} {}",
                    check.message(),
                    mode.advice_when_unreachable()
                ))
            }
            _ => Self::failed(check.message()),
        }
    }

    fn failed(message: impl Into<String>) -> Self {
        Self {
            ok: false,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fal::connection_check::{interpret, unreachable};
    use crate::core::fal::error::{FalError, NetworkFailure};
    use crate::core::fal::http::HttpResponse;

    /// The moment the answers arrive (only a Retry-After date would use it).
    const NOW: u64 = 1_795_513_909;

    #[test]
    fn a_404_for_the_test_request_means_it_works() {
        let check = interpret(
            &HttpResponse::new(404, r#"{"detail":"Request not found"}"#),
            NOW,
        );
        assert_eq!(
            ConnectionVerdict::of(&check, ConnectionMode::YourKey),
            ConnectionVerdict {
                ok: true,
                message: "Connected: fal accepted the key.".into()
            }
        );
    }

    #[test]
    fn no_answer_at_all_says_what_to_check_for_the_mode() {
        let check = unreachable(FalError::network(NetworkFailure::Unreachable));
        let direct = ConnectionVerdict::of(&check, ConnectionMode::YourKey);
        assert!(!direct.ok);
        assert!(direct.message.starts_with(&check.message()), "{direct:?}");
        assert!(
            direct
                .message
                .ends_with(ConnectionMode::YourKey.advice_when_unreachable()),
            "{direct:?}"
        );
        let proxied = ConnectionVerdict::of(&check, ConnectionMode::Proxy);
        assert!(
            proxied.message.contains("The proxy did not answer"),
            "{proxied:?}"
        );
    }

    #[test]
    fn a_refused_key_is_said_as_fal_said_it_without_network_advice() {
        let check = interpret(&HttpResponse::new(401, r#"{"detail":"Invalid key"}"#), NOW);
        let verdict = ConnectionVerdict::of(&check, ConnectionMode::YourKey);
        assert!(!verdict.ok);
        assert_eq!(verdict.message, check.message());
        assert!(!verdict.message.contains("CORS"), "{verdict:?}");
    }

    #[test]
    fn nothing_to_test_is_said_before_any_call() {
        assert_eq!(
            ConnectionVerdict::needs_key().message,
            "Enter a valid fal key first."
        );
        assert!(!ConnectionVerdict::unusable_endpoint().ok);
    }
}
