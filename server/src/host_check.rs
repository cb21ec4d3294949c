//! DNS rebinding: a page on `evil.example` whose name is made to resolve
//! to this server's address is, to the browser, same-origin with
//! `evil.example`, and could call the proxy, the simulator's control API or
//! read the app's files. The one thing it cannot change is the `Host`
//! header, which names `evil.example`. So the server answers only the names
//! it serves: `--public-url`'s host, the address a connection arrived at
//! (an IP literal cannot be rebound), `localhost`, and `--allow-host` names.
//! Anything else gets 421 Misdirected Request before any route sees it.
//!
//! A request with no `Host` at all passes: browsers always send one, and
//! some health checks (HTTP/1.0) do not.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::json_error::json_error;
use crate::serve::LocalAddr;
use crate::start_error::StartError;

/// The host part of a `Host` value or an authority, without the port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HostName {
    Ip(IpAddr),
    /// Lowercase, without a trailing dot.
    Name(String),
}

impl HostName {
    /// Parses `name`, `name:port`, `1.2.3.4[:port]` or `[v6][:port]`.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if let Some(rest) = value.strip_prefix('[') {
            let (inside, after) = rest.split_once(']')?;
            let port_ok = after.is_empty()
                || after
                    .strip_prefix(':')
                    .is_some_and(|p| p.parse::<u16>().is_ok());
            let ip: Ipv6Addr = inside.parse().ok()?;
            return port_ok.then(|| HostName::Ip(IpAddr::V6(ip).to_canonical()));
        }
        let host = match value.rsplit_once(':') {
            Some((host, port)) if port.parse::<u16>().is_ok() && !host.contains(':') => host,
            Some(_) => return None,
            None => value,
        };
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Some(HostName::Ip(ip.to_canonical()));
        }
        let name = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
        let valid = !name.is_empty()
            && name.len() <= 253
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_');
        valid.then_some(HostName::Name(name))
    }
}

/// The names this server answers.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    hosts: HashSet<HostName>,
}

impl AllowedHosts {
    /// From `--allow-host`, `--public-url` and `--address`.
    pub fn new(
        allow_hosts: &[String],
        public_url: Option<&str>,
        address: IpAddr,
    ) -> Result<Self, StartError> {
        let mut hosts = HashSet::from([HostName::Name("localhost".to_owned())]);
        if !address.is_unspecified() {
            hosts.insert(HostName::Ip(address.to_canonical()));
        }
        if let Some(url) = public_url {
            let authority = url.split_once("://").map_or(url, |(_, rest)| rest);
            let authority = authority.split('/').next().unwrap_or("");
            hosts.extend(HostName::parse(authority));
        }
        for value in allow_hosts {
            let usable = !value.contains(['/', '*', '@']);
            let host =
                HostName::parse(value)
                    .filter(|_| usable)
                    .ok_or_else(|| StartError::AllowHost {
                        host: value.clone(),
                    })?;
            hosts.insert(host);
        }
        Ok(Self { hosts })
    }

    /// Whether a request with this `Host`, arriving at `local`, is answered.
    pub fn allows(&self, host: &str, local: Option<IpAddr>) -> bool {
        match HostName::parse(host) {
            Some(HostName::Ip(ip)) if local.is_some_and(|l| l.to_canonical() == ip) => true,
            Some(name) => self.hosts.contains(&name),
            None => false,
        }
    }
}

/// The middleware: 421 for a `Host` this server does not serve.
pub async fn check_host(
    State(hosts): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(host) = request.headers().get(header::HOST) else {
        return next.run(request).await;
    };
    let local = request.extensions().get::<LocalAddr>().map(|l| l.0.ip());
    let host = host.to_str().unwrap_or("");
    if hosts.allows(host, local) {
        return next.run(request).await;
    }
    let shown: String = host
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(100)
        .collect();
    tracing::debug!(host = %shown, "refused: a host name this server does not serve");
    json_error(
        StatusCode::MISDIRECTED_REQUEST,
        format!(
            "this server does not answer for {shown:?}; if that is its name, start it with \
             --allow-host (or --public-url)"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_values_parse_with_or_without_a_port() {
        let ip = |s: &str| Some(HostName::Ip(s.parse().unwrap()));
        let name = |s: &str| Some(HostName::Name(s.to_owned()));
        assert_eq!(HostName::parse("127.0.0.1:8080"), ip("127.0.0.1"));
        assert_eq!(HostName::parse("[::1]:8080"), ip("::1"));
        assert_eq!(HostName::parse("[::ffff:127.0.0.1]"), ip("127.0.0.1"));
        assert_eq!(
            HostName::parse("Studio.Example.:443"),
            name("studio.example")
        );
        assert_eq!(HostName::parse("localhost"), name("localhost"));
        for bad in ["", "a b", "[::1", "host:port", "::1", "evil/x", "a:1:2"] {
            assert_eq!(HostName::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_served_names_are_allowed() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        let hosts = AllowedHosts::new(
            &["studio.test".into(), "10.0.0.9:80".into()],
            Some("https://studio.example"),
            loopback,
        )
        .unwrap();
        for ok in [
            "127.0.0.1:1",
            "localhost:1",
            "studio.test",
            "studio.example",
            "10.0.0.9",
        ] {
            assert!(hosts.allows(ok, Some(loopback)), "{ok}");
        }
        for refused in [
            "evil.example",
            "127.0.0.1.nip.io:1",
            "10.0.0.8",
            "[::1]:1",
            "",
        ] {
            assert!(!hosts.allows(refused, Some(loopback)), "{refused}");
        }
        // Listening everywhere: the address each connection arrived at.
        let everywhere = AllowedHosts::new(&[], None, any).unwrap();
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        assert!(everywhere.allows("192.168.1.5:8080", Some(lan)));
        assert!(!everywhere.allows("192.168.1.6:8080", Some(lan)));
        assert!(!everywhere.allows("0.0.0.0:8080", Some(lan)));
        for bad in ["https://x.example", "*.example", "a/b", "u@h"] {
            assert!(
                AllowedHosts::new(&[bad.into()], None, any).is_err(),
                "{bad}"
            );
        }
    }
}
