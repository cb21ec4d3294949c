//! The connection as a person sees it: which mode, and what that means for
//! their key and their money. The header badge and the Connection panel
//! show this; the decision itself is [`crate::core::fal::transport::choose_connection`].

use crate::core::config::runtime::AppConfig;
use crate::core::fal::transport::{Connection, ConnectionChoice};

/// The mode at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionMode {
    /// `wan-r2v-server --simulate`: nothing real, nothing billed.
    Simulated,
    /// Through the deployer's proxy, which holds the key.
    Proxy,
    /// Through the proxy, which uses the key the user entered.
    ProxyWithYourKey,
    /// Straight to fal with the user's key.
    YourKey,
    /// No proxy and no key yet.
    NeedsKey,
}

impl ConnectionMode {
    /// Derives the mode from the config and the connection chosen for it.
    pub fn of(config: &AppConfig, choice: &ConnectionChoice) -> Self {
        match choice {
            ConnectionChoice::NeedsKey => ConnectionMode::NeedsKey,
            ConnectionChoice::Ready(_) if config.simulated => ConnectionMode::Simulated,
            ConnectionChoice::Ready(Connection::Direct { .. }) => ConnectionMode::YourKey,
            ConnectionChoice::Ready(Connection::Proxy {
                forwarded_key: Some(_),
                ..
            }) => ConnectionMode::ProxyWithYourKey,
            ConnectionChoice::Ready(Connection::Proxy {
                forwarded_key: None,
                ..
            }) => ConnectionMode::Proxy,
        }
    }

    /// The short label for the badge.
    pub fn label(self) -> &'static str {
        match self {
            ConnectionMode::Simulated => "Simulated",
            ConnectionMode::Proxy => "Proxy",
            ConnectionMode::ProxyWithYourKey => "Proxy, your key",
            ConnectionMode::YourKey => "Your fal key",
            ConnectionMode::NeedsKey => "No fal key yet",
        }
    }

    /// One sentence on what the mode means for the user.
    pub fn explanation(self) -> &'static str {
        match self {
            ConnectionMode::Simulated => {
                "Simulated fal: jobs run on a local stand-in, so no real video is made and nothing is billed."
            }
            ConnectionMode::Proxy => {
                "Requests go through this site's proxy, which holds the fal key; your browser never sees one."
            }
            ConnectionMode::ProxyWithYourKey => {
                "Requests go through this site's proxy, which uses the fal key you entered."
            }
            ConnectionMode::YourKey => {
                "Requests go straight from this browser to fal with your key; runs are billed to your fal account."
            }
            ConnectionMode::NeedsKey => "Enter your fal key to generate. Runs are billed to your fal account.",
        }
    }

    /// What to do when a call got no answer at all. Browsers report a CORS
    /// refusal exactly like an unreachable host, so both are named.
    pub fn advice_when_unreachable(self) -> &'static str {
        match self {
            ConnectionMode::Simulated | ConnectionMode::Proxy | ConnectionMode::ProxyWithYourKey => {
                "The proxy did not answer. Check that it is running and that proxy_url in config.json \
                 points at it; if it is on another site, it must allow this one (CORS)."
            }
            ConnectionMode::YourKey | ConnectionMode::NeedsKey => {
                "fal could not be reached from this browser. You may be offline, or the browser blocked \
                 the request (CORS): a privacy extension or a network policy can do that."
            }
        }
    }

    /// The status dot's tone, a `status-dot-<tone>` class: a warning
    /// until there is a key, the simulator's own colour, otherwise "ok".
    pub fn dot_tone(self) -> &'static str {
        match self {
            ConnectionMode::NeedsKey => "warn",
            ConnectionMode::Simulated => "sim",
            ConnectionMode::Proxy | ConnectionMode::ProxyWithYourKey | ConnectionMode::YourKey => {
                "ok"
            }
        }
    }

    /// True when Generate can send something.
    pub fn can_send(self) -> bool {
        self != ConnectionMode::NeedsKey
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fal::transport::{choose_connection, FalKey};

    fn mode(config: &AppConfig, key: Option<&str>) -> ConnectionMode {
        let key = key.map(|k| FalKey::parse(k).unwrap());
        ConnectionMode::of(config, &choose_connection(config, key))
    }

    #[test]
    fn modes_follow_config_and_key() {
        let direct = AppConfig::default();
        assert_eq!(mode(&direct, None), ConnectionMode::NeedsKey);
        assert_eq!(mode(&direct, Some("id:secret")), ConnectionMode::YourKey);

        let proxy = AppConfig {
            proxy_url: Some("./api/fal/proxy".into()),
            ..AppConfig::default()
        };
        assert_eq!(mode(&proxy, None), ConnectionMode::Proxy);
        assert_eq!(mode(&proxy, Some("id:secret")), ConnectionMode::YourKey);

        let forwarding = AppConfig {
            forward_user_key_to_proxy: true,
            ..proxy.clone()
        };
        assert_eq!(
            mode(&forwarding, Some("id:secret")),
            ConnectionMode::ProxyWithYourKey
        );

        let simulated = AppConfig {
            simulated: true,
            ..proxy
        };
        assert_eq!(mode(&simulated, None), ConnectionMode::Simulated);
        // A simulator reached directly still wants a (fake) key first.
        let simulated_direct = AppConfig {
            simulated: true,
            ..AppConfig::default()
        };
        assert_eq!(mode(&simulated_direct, None), ConnectionMode::NeedsKey);
        assert!(ConnectionMode::Simulated
            .explanation()
            .contains("nothing is billed"));
    }

    #[test]
    fn only_needs_key_blocks_sending() {
        assert!(!ConnectionMode::NeedsKey.can_send());
        for m in [
            ConnectionMode::Simulated,
            ConnectionMode::Proxy,
            ConnectionMode::ProxyWithYourKey,
            ConnectionMode::YourKey,
        ] {
            assert!(m.can_send());
            assert!(!m.label().is_empty());
            assert!(m.advice_when_unreachable().contains("CORS"));
        }
    }

    #[test]
    fn the_dot_warns_until_there_is_a_key_and_marks_the_simulator() {
        assert_eq!(ConnectionMode::NeedsKey.dot_tone(), "warn");
        assert_eq!(ConnectionMode::Simulated.dot_tone(), "sim");
        for m in [
            ConnectionMode::Proxy,
            ConnectionMode::ProxyWithYourKey,
            ConnectionMode::YourKey,
        ] {
            assert_eq!(m.dot_tone(), "ok", "{m:?}");
        }
    }
}
