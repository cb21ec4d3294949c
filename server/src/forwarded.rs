//! The client address behind a trusted reverse proxy
//! (`--trust-forwarded-for`): exactly the last `X-Forwarded-For` entry,
//! the one the proxy in front appended. Earlier entries come from the
//! client and prove nothing; an entry the proxy wrote that does not parse
//! means it is not set up as this server expects, and the request is
//! refused rather than keyed on something a caller chose.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use axum::http::HeaderMap;

/// Parses one entry: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`,
/// `[2001:db8::1]` or `[2001:db8::1]:5678`.
pub fn parse_entry(entry: &str) -> Option<IpAddr> {
    if let Some(rest) = entry.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let port_ok = after.is_empty()
            || after
                .strip_prefix(':')
                .is_some_and(|p| p.parse::<u16>().is_ok());
        let ip: Ipv6Addr = inside.parse().ok()?;
        return port_ok.then_some(IpAddr::V6(ip));
    }
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip);
    }
    let (ip, port) = entry.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    ip.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The last entry of the last `X-Forwarded-For` line: `Ok(None)` when
/// there is none, `Err` (the entry as sent, shortened) when it does not
/// parse.
pub fn last_entry(headers: &HeaderMap) -> Result<Option<IpAddr>, String> {
    let Some(line) = headers.get_all("x-forwarded-for").iter().next_back() else {
        return Ok(None);
    };
    let text = line.to_str().map_err(|_| "(not text)".to_owned())?;
    let entry = text.rsplit(',').next().unwrap_or("").trim();
    match parse_entry(entry) {
        Some(ip) => Ok(Some(ip.to_canonical())),
        None => Err(entry.chars().take(64).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn last(values: &[&'static str]) -> Result<Option<IpAddr>, String> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", HeaderValue::from_static(value));
        }
        last_entry(&headers)
    }

    fn ip(text: &str) -> Result<Option<IpAddr>, String> {
        Ok(Some(text.parse().unwrap()))
    }

    #[test]
    fn takes_exactly_the_last_entry() {
        assert_eq!(last(&[]), Ok(None));
        assert_eq!(last(&["203.0.113.9"]), ip("203.0.113.9"));
        assert_eq!(last(&["1.1.1.1, 203.0.113.9"]), ip("203.0.113.9"));
        assert_eq!(
            last(&["1.1.1.1", "2.2.2.2, 203.0.113.9"]),
            ip("203.0.113.9")
        );
        assert_eq!(last(&["1.1.1.1, 203.0.113.9:4711"]), ip("203.0.113.9"));
        assert_eq!(last(&["2001:db8::1"]), ip("2001:db8::1"));
        assert_eq!(last(&["[2001:db8::1]"]), ip("2001:db8::1"));
        assert_eq!(last(&["1.1.1.1,[2001:db8::1]:443"]), ip("2001:db8::1"));
        assert_eq!(last(&["::ffff:203.0.113.9"]), ip("203.0.113.9"));
        for bad in [
            "1.1.1.1, unknown",
            "1.1.1.1, ",
            "203.0.113.9:99999",
            "[2001:db8::1",
            "2001:db8::1:443]",
            "_hidden",
            "203.0.113.9 , 2001:db8::zz",
        ] {
            assert!(last(&[bad]).is_err(), "{bad}");
        }
    }
}
