//! When the Connection panel may fold into the header's badge. Folded, it
//! keeps the form at the top of the page; but a panel someone must act in
//! before anything can be sent stays open, or they would not know where to.

use crate::core::access::refusal::AccessRefusal;
use crate::core::config::connection_mode::ConnectionMode;

/// True while nothing can be sent until the person acts in the panel: no
/// key where one is needed, or the proxy asked for an access code (or a
/// sign-in, which the panel explains). A budget reached or the proxy's
/// store down is not something the panel can fix, so it may stay folded.
pub fn panel_must_stay_open(mode: ConnectionMode, refusal: Option<&AccessRefusal>) -> bool {
    !mode.can_send() || matches!(refusal, Some(AccessRefusal::AccessRequired { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::access::refusal::AccessMode;

    #[test]
    fn the_panel_folds_once_something_can_be_sent() {
        assert!(panel_must_stay_open(ConnectionMode::NeedsKey, None));
        for mode in [
            ConnectionMode::Simulated,
            ConnectionMode::Proxy,
            ConnectionMode::ProxyWithYourKey,
            ConnectionMode::YourKey,
        ] {
            assert!(!panel_must_stay_open(mode, None), "{mode:?}");
        }
    }

    #[test]
    fn a_proxy_asking_for_access_keeps_it_open_but_a_budget_does_not() {
        for mode in [AccessMode::AccessCode, AccessMode::SignIn] {
            let asked = AccessRefusal::AccessRequired {
                mode,
                detail: String::new(),
            };
            assert!(panel_must_stay_open(ConnectionMode::Proxy, Some(&asked)));
        }
        let down = AccessRefusal::StateUnavailable {
            detail: String::new(),
        };
        assert!(!panel_must_stay_open(ConnectionMode::Proxy, Some(&down)));
    }
}
