//! One bounded ranged GET of a reference video, for its header: https only,
//! public addresses only (checked after DNS, and the connection pinned to
//! the checked addresses), at most [`MAX_REDIRECTS`] redirects (each one
//! checked the same way), at most the asked bytes read, within a deadline.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_LENGTH, CONTENT_RANGE, LOCATION, RANGE};
use reqwest::{StatusCode, Url};

use super::address::is_public;

pub const MAX_REDIRECTS: usize = 3;
const DNS_TIMEOUT: Duration = Duration::from_secs(3);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The whole request, redirects included.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Bytes of the file from `offset`, and its length when the server said.
#[derive(Debug, Clone)]
pub struct Chunk {
    pub offset: u64,
    pub bytes: Bytes,
    pub file_len: Option<u64>,
}

/// Who may be fetched from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchPolicy {
    /// https and public addresses only.
    Public,
    /// Tests only (a hidden flag): also http, and loopback addresses, so a
    /// test can serve the video itself. Private networks stay refused.
    AlsoLoopbackForTests,
}

impl FetchPolicy {
    fn allows_address(self, ip: IpAddr) -> bool {
        is_public(ip) || (self == FetchPolicy::AlsoLoopbackForTests && ip.is_loopback())
    }

    fn allows_scheme(self, scheme: &str) -> bool {
        scheme == "https" || (self == FetchPolicy::AlsoLoopbackForTests && scheme == "http")
    }
}

/// Checks `url` and resolves it to addresses the policy allows.
async fn checked_addresses(url: &Url, policy: FetchPolicy) -> Result<Vec<SocketAddr>, String> {
    if !policy.allows_scheme(url.scheme()) {
        return Err(format!("it is not an https address ({}:)", url.scheme()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("its address carries a user name or password".to_owned());
    }
    let host = url.host_str().ok_or("its address has no host")?;
    let port = url
        .port_or_known_default()
        .ok_or("its address has no port")?;
    let addresses: Vec<SocketAddr> = match host.trim_matches(['[', ']']).parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::time::timeout(DNS_TIMEOUT, tokio::net::lookup_host((host, port)))
            .await
            .map_err(|_| format!("{host} did not resolve within 3 s"))?
            .map_err(|e| format!("{host} does not resolve ({e})"))?
            .collect(),
    };
    if addresses.is_empty() {
        return Err(format!("{host} has no address"));
    }
    if let Some(bad) = addresses.iter().find(|a| !policy.allows_address(a.ip())) {
        return Err(format!(
            "{host} is a private or local address ({}), which the server does not fetch from",
            bad.ip()
        ));
    }
    Ok(addresses)
}

/// `bytes START-END/TOTAL` → (START, TOTAL).
fn content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (span, total) = rest.split_once('/')?;
    let start = span.split_once('-')?.0.trim().parse().ok()?;
    Some((start, total.trim().parse().ok()))
}

/// GETs `len` bytes of `url` from `offset`. Returns the chunk and the URL
/// it finally came from (after redirects), for a second read.
pub async fn read_range(
    url: &str,
    offset: u64,
    len: u64,
    policy: FetchPolicy,
) -> Result<(Chunk, Url), String> {
    tokio::time::timeout(READ_TIMEOUT, read_range_inner(url, offset, len, policy))
        .await
        .map_err(|_| "its host did not send the header within 10 s".to_owned())?
}

async fn read_range_inner(
    url: &str,
    offset: u64,
    len: u64,
    policy: FetchPolicy,
) -> Result<(Chunk, Url), String> {
    let mut url = Url::parse(url).map_err(|e| format!("it is not a URL ({e})"))?;
    for _hop in 0..=MAX_REDIRECTS {
        let addresses = checked_addresses(&url, policy).await?;
        let host = url.host_str().unwrap_or_default().to_owned();
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .no_gzip()
            .no_brotli()
            .no_deflate()
            .resolve_to_addrs(&host, &addresses)
            .build()
            .map_err(|e| format!("no HTTP client ({e})"))?;
        let response = client
            .get(url.clone())
            .header(RANGE, format!("bytes={offset}-{}", offset + len - 1))
            .header(ACCEPT_ENCODING, "identity")
            .send()
            .await
            .map_err(|e| format!("its host could not be reached ({})", e.without_url()))?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| format!("its host answered {status} with no Location"))?;
            url = url
                .join(location)
                .map_err(|e| format!("it redirects to a bad address ({e})"))?;
            continue;
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let file_len = match status {
            StatusCode::PARTIAL_CONTENT => {
                let (start, total) = header(CONTENT_RANGE)
                    .as_deref()
                    .and_then(content_range)
                    .ok_or("its host sent a partial answer without a usable Content-Range")?;
                if start != offset {
                    return Err(format!("its host sent bytes from {start}, not {offset}"));
                }
                total
            }
            StatusCode::OK if offset == 0 => header(CONTENT_LENGTH).and_then(|v| v.parse().ok()),
            StatusCode::OK => {
                return Err("its host does not answer ranged requests".to_owned());
            }
            other => return Err(format!("its host answered {other}")),
        };
        let mut bytes = BytesMut::new();
        let mut body = response.bytes_stream();
        while let Some(piece) = body.next().await {
            let piece =
                piece.map_err(|e| format!("the download broke off ({})", e.without_url()))?;
            let room = (len as usize).saturating_sub(bytes.len());
            bytes.extend_from_slice(&piece[..piece.len().min(room)]);
            if bytes.len() as u64 >= len {
                break;
            }
        }
        let chunk = Chunk {
            offset,
            bytes: bytes.freeze(),
            file_len,
        };
        return Ok((chunk, url));
    }
    Err(format!("it redirects more than {MAX_REDIRECTS} times"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_content_range() {
        assert_eq!(content_range("bytes 0-1023/4096"), Some((0, Some(4096))));
        assert_eq!(content_range("bytes 10-19/*"), Some((10, None)));
        assert_eq!(content_range("items 0-1/2"), None);
    }

    #[tokio::test]
    async fn refuses_before_connecting() {
        let policy = FetchPolicy::Public;
        for (url, why) in [
            ("http://example.com/a.mp4", "not an https address"),
            ("file:///etc/passwd", "not an https address"),
            ("https://user:pw@example.com/a.mp4", "user name"),
            ("https://127.0.0.1/a.mp4", "private or local"),
            ("https://[::1]:8443/a.mp4", "private or local"),
            (
                "https://169.254.169.254/latest/meta-data",
                "private or local",
            ),
            ("https://10.0.0.8/a.mp4", "private or local"),
            ("https://localhost/a.mp4", "private or local"),
            ("not a url", "not a URL"),
        ] {
            let err = read_range(url, 0, 1024, policy).await.unwrap_err();
            assert!(err.contains(why), "{url}: {err}");
        }
        let test_policy = FetchPolicy::AlsoLoopbackForTests;
        let err = read_range("http://10.0.0.8/a.mp4", 0, 1, test_policy)
            .await
            .unwrap_err();
        assert!(err.contains("private or local"), "{err}");
    }
}
