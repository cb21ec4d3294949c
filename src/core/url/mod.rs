//! Just enough URL parsing for the rules the core enforces: which scheme a
//! reference uses and which host a request goes to.
//!
//! A full URL crate (with IDNA tables) would weigh more than the rest of the
//! app's logic; these rules need only scheme, host, port and the rest.

/// A URL split into the parts the core's rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUrl<'a> {
    /// Lower-cased scheme, without the `:`.
    pub scheme: String,
    /// Lower-cased host, without port or user info; IPv6 hosts keep brackets.
    pub host: String,
    /// The explicit port, if any.
    pub port: Option<u16>,
    /// Path, query and fragment as written (starts with `/`, `?`, `#` or is empty).
    pub rest: &'a str,
}

impl ParsedUrl<'_> {
    /// `host` or `host:port`, as it appears in an origin.
    pub fn authority(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        }
    }

    /// `scheme://host[:port]`.
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.authority())
    }

    /// Path without query or fragment; `/` when empty.
    pub fn path(&self) -> &str {
        let end = self.rest.find(['?', '#']).unwrap_or(self.rest.len());
        match &self.rest[..end] {
            "" => "/",
            path => path,
        }
    }

    /// Query without the `?`, if any (fragment excluded).
    pub fn query(&self) -> Option<&str> {
        let start = self.rest.find('?')? + 1;
        let end = self.rest[start..]
            .find('#')
            .map_or(self.rest.len(), |i| start + i);
        Some(&self.rest[start..end])
    }
}

/// Why a string is not an absolute URL the app can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlError {
    /// Nothing but white space.
    Empty,
    /// No `scheme://` at the start.
    NotAbsolute,
    /// `scheme://` with nothing usable after it.
    NoHost,
    /// A port that is not a number from 0 to 65535.
    BadPort,
    /// White space or control characters inside the URL.
    BadCharacter,
}

/// Parses an absolute `scheme://host[:port][/path][?query][#fragment]` URL.
pub fn parse(input: &str) -> Result<ParsedUrl<'_>, UrlError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(UrlError::Empty);
    }
    if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlError::BadCharacter);
    }
    let scheme = self::scheme(input).ok_or(UrlError::NotAbsolute)?;
    let after = &input[scheme.len() + 1..];
    let Some(after) = after.strip_prefix("//") else {
        // `javascript:…`, `data:…`, `mailto:…`: a scheme but no authority.
        return Ok(ParsedUrl {
            scheme,
            host: String::new(),
            port: None,
            rest: after,
        });
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let (host, port) = split_host_port(host_port)?;
    if host.is_empty() {
        return Err(UrlError::NoHost);
    }
    Ok(ParsedUrl {
        scheme,
        host: host.to_ascii_lowercase(),
        port,
        rest,
    })
}

fn split_host_port(host_port: &str) -> Result<(&str, Option<u16>), UrlError> {
    let (host, port) = if host_port.starts_with('[') {
        match host_port.find(']') {
            Some(close) => {
                let port = host_port[close + 1..].strip_prefix(':');
                (&host_port[..=close], port)
            }
            None => return Err(UrlError::NoHost),
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(p) => Some(p.parse::<u16>().map_err(|_| UrlError::BadPort)?),
    };
    Ok((host, port))
}

/// The lower-cased scheme of `input` (`"https"`, `"javascript"`), if it has one.
pub fn scheme(input: &str) -> Option<String> {
    let input = input.trim();
    let colon = input.find(':')?;
    let scheme = &input[..colon];
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// True for an absolute `http://` or `https://` URL with a host: the only
/// kind fal's runners can download and the only kind the app will play.
pub fn is_web_url(input: &str) -> bool {
    parse(input).is_ok_and(|u| (u.scheme == "http" || u.scheme == "https") && !u.host.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_a_full_url() {
        let u = parse("HTTPS://User:pw@Queue.FAL.run:8443/fal-ai/wan/requests/1?logs=1#x").unwrap();
        assert_eq!(u.scheme, "https");
        assert_eq!(u.host, "queue.fal.run");
        assert_eq!(u.port, Some(8443));
        assert_eq!(u.path(), "/fal-ai/wan/requests/1");
        assert_eq!(u.query(), Some("logs=1"));
        assert_eq!(u.origin(), "https://queue.fal.run:8443");
    }

    #[test]
    fn handles_bare_hosts_and_ipv6() {
        let u = parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path()),
            ("127.0.0.1", Some(8080), "/")
        );
        let u = parse("http://[::1]:9000/x").unwrap();
        assert_eq!((u.host.as_str(), u.port), ("[::1]", Some(9000)));
        assert_eq!(
            parse("https://example.com?x=1").unwrap().query(),
            Some("x=1")
        );
    }

    #[test]
    fn refuses_what_is_not_an_absolute_url() {
        assert_eq!(parse("   "), Err(UrlError::Empty));
        assert_eq!(parse("example.com/a.png"), Err(UrlError::NotAbsolute));
        assert_eq!(parse("/relative/path"), Err(UrlError::NotAbsolute));
        assert_eq!(parse("https://"), Err(UrlError::NoHost));
        assert_eq!(parse("https://host:99999/"), Err(UrlError::BadPort));
        assert_eq!(parse("https://a b.com/"), Err(UrlError::BadCharacter));
        assert_eq!(scheme("File:///etc/passwd").as_deref(), Some("file"));
        assert_eq!(scheme("1http://x"), None);
    }

    #[test]
    fn only_http_and_https_are_web_urls() {
        assert!(is_web_url("https://v3.fal.media/files/a.png"));
        assert!(is_web_url("http://example.com/v.mp4"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("JAVASCRIPT://%0Aalert(1)"));
        assert!(!is_web_url("file:///etc/passwd"));
        assert!(!is_web_url("data:image/png;base64,AAAA"));
        assert!(!is_web_url("ftp://example.com/a.png"));
        assert!(!is_web_url("blob:https://example.com/uuid"));
    }
}

pub mod query_string;
