//! Which `x-fal-target-url` values the proxy forwards.
//!
//! The proxy holds a key that costs money, so the target is parsed strictly
//! (core's URL parser plus the tricks it tolerates: user info, odd ports,
//! encoded dots and slashes) and matched against the two fal hosts the app
//! calls through a proxy: the queue, and the storage initiate calls on the
//! REST host. Nothing on `fal.run` (synchronous runs: the app never makes
//! them). Which calls on those hosts pass is decided in [`super::calls`].

use wan_r2v_studio::core::url;

/// The fal hosts the proxy talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FalHost {
    /// `queue.fal.run`: submit, status, stream, result, cancel.
    Queue,
    /// `rest.fal.ai`: storage upload initiation only.
    Rest,
}

impl FalHost {
    pub fn name(self) -> &'static str {
        match self {
            FalHost::Queue => "queue.fal.run",
            FalHost::Rest => "rest.fal.ai",
        }
    }

    fn from_name(host: &str) -> Option<Self> {
        [FalHost::Queue, FalHost::Rest]
            .into_iter()
            .find(|h| h.name() == host)
    }
}

/// The storage calls the app routes through a proxy (path and exact
/// query): single and multipart initiation. The bytes and the multipart
/// `complete` go straight to the storage host, never through the proxy.
pub const STORAGE_TARGETS: [&str; 2] = [
    "/storage/upload/initiate?storage_type=fal-cdn-v3",
    "/storage/upload/initiate-multipart?storage_type=fal-cdn-v3",
];

/// A target that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: FalHost,
    /// Starts with `/`.
    pub path: String,
    /// Without the `?`.
    pub query: Option<String>,
}

impl Target {
    /// `/path?query`.
    pub fn path_and_query(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }

    /// The URL fal would be called at.
    pub fn url(&self) -> String {
        format!("https://{}{}", self.host.name(), self.path_and_query())
    }

    /// Where the request really goes: fal, or `BASE/<host>/<path>` when the
    /// tests' upstream override is set.
    pub fn upstream_url(&self, upstream_override: Option<&str>) -> String {
        match upstream_override {
            Some(base) => format!(
                "{}/{}{}",
                base.trim_end_matches('/'),
                self.host.name(),
                self.path_and_query()
            ),
            None => self.url(),
        }
    }

    /// Host and path only, for logs (a query could carry a token).
    pub fn for_log(&self) -> String {
        format!("{}{}", self.host.name(), self.path)
    }
}

/// Why a target is refused; the variant picks the status code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetError {
    /// 400: missing or not a URL at all.
    Invalid(String),
    /// 403: a URL, but not one this proxy forwards.
    Forbidden(String),
}

/// Parses and checks `x-fal-target-url`.
pub fn parse_target(raw: &str) -> Result<Target, TargetError> {
    let invalid = |why: &str| TargetError::Invalid(format!("x-fal-target-url {why}"));
    let forbidden = |why: &str| TargetError::Forbidden(format!("x-fal-target-url {why}"));
    if raw.trim().is_empty() {
        return Err(invalid("is empty"));
    }
    if raw.contains('\\') {
        return Err(invalid("contains a backslash"));
    }
    let parsed = url::parse(raw).map_err(|e| invalid(&format!("is not a URL ({e:?})")))?;
    if parsed.host.is_empty() {
        return Err(invalid("has no host"));
    }
    if parsed.scheme != "https" {
        return Err(forbidden("must use https"));
    }
    let after_scheme = &raw.trim()["https://".len()..];
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    if after_scheme[..authority_end].contains('@') {
        return Err(forbidden("must not contain user info"));
    }
    if parsed.port.is_some_and(|p| p != 443) {
        return Err(forbidden("must not name a port"));
    }
    if parsed.rest.contains('#') {
        return Err(invalid("must not contain a fragment"));
    }
    let host = FalHost::from_name(&parsed.host).ok_or_else(|| {
        forbidden(&format!(
            "host {:?} is not queue.fal.run or rest.fal.ai",
            parsed.host
        ))
    })?;
    let path = parsed.path().to_owned();
    let lower = path.to_ascii_lowercase();
    if path.contains("//")
        || lower.contains("%2e")
        || lower.contains("%2f")
        || lower.contains("%5c")
        || path.split('/').any(|s| s == "." || s == "..")
    {
        return Err(forbidden(
            "path must not contain empty, dot or encoded segments",
        ));
    }
    let target = Target {
        host,
        path,
        query: parsed.query().map(str::to_owned),
    };
    if host == FalHost::Rest && !STORAGE_TARGETS.contains(&target.path_and_query().as_str()) {
        return Err(forbidden(
            "on rest.fal.ai must be a storage upload initiate call",
        ));
    }
    if host != FalHost::Rest && target.path == "/" {
        return Err(forbidden("must name an endpoint"));
    }
    Ok(target)
}

/// With `--simulate`, the simulator's own direct-mode bases stand for fal's
/// hosts: a simulated config.json sets `queue_base_url` to
/// `<origin>/sim/queue`, and an app in proxy mode builds its targets from
/// that. Returns the target as fal's and the base it came in on (answers
/// point back there). Only this server's own origin is accepted.
pub fn parse_simulator_target(raw: &str, origin: &str) -> Option<(Target, String)> {
    [("/sim/queue", FalHost::Queue), ("/sim/rest", FalHost::Rest)]
        .into_iter()
        .find_map(|(prefix, host)| {
            let base = format!("{origin}{prefix}");
            let rest = raw.strip_prefix(&base)?.strip_prefix('/')?;
            let fal = parse_target(&format!("https://{}/{rest}", host.name())).ok()?;
            Some((fal, base))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> Target {
        parse_target(raw).unwrap_or_else(|e| panic!("{raw}: {e:?}"))
    }

    fn forbidden(raw: &str) {
        assert!(
            matches!(parse_target(raw), Err(TargetError::Forbidden(_))),
            "{raw} should be forbidden, got {:?}",
            parse_target(raw)
        );
    }

    #[test]
    fn accepts_fal_queue_run_and_storage_targets() {
        let t = ok("https://queue.fal.run/fal-ai/wan/requests/abc/status?logs=1");
        assert_eq!(t.host, FalHost::Queue);
        assert_eq!(t.path, "/fal-ai/wan/requests/abc/status");
        assert_eq!(t.query.as_deref(), Some("logs=1"));
        assert_eq!(
            t.upstream_url(Some("http://127.0.0.1:9/")),
            "http://127.0.0.1:9/queue.fal.run/fal-ai/wan/requests/abc/status?logs=1"
        );
        assert_eq!(
            t.url(),
            "https://queue.fal.run/fal-ai/wan/requests/abc/status?logs=1"
        );
        assert_eq!(ok("https://QUEUE.fal.run:443/x/y").host, FalHost::Queue);
        for storage in STORAGE_TARGETS {
            assert_eq!(
                ok(&format!("https://rest.fal.ai{storage}")).host,
                FalHost::Rest
            );
        }
    }

    #[test]
    fn refuses_other_hosts_schemes_and_tricks() {
        forbidden("http://queue.fal.run/fal-ai/wan/requests/1");
        forbidden("https://evil.example/queue.fal.run/x");
        forbidden("https://queue.fal.run.evil.example/x");
        forbidden("https://queue.fal.run./x");
        forbidden("https://sub.fal.run/x");
        forbidden("https://fal.run/fal-ai/wan/v2.7/reference-to-video");
        forbidden("https://rest.fal.ai/storage/upload/complete-multipart?storage_type=fal-cdn-v3");
        forbidden("https://fal.ai/x");
        forbidden("https://rest.fal.ai/tokens/");
        forbidden("https://rest.fal.ai/storage/upload/initiate?storage_type=gcs");
        forbidden("https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3&x=1");
        forbidden("https://queue.fal.run@evil.example/x");
        forbidden("https://user:pw@queue.fal.run/x");
        forbidden("https://queue.fal.run:8443/x");
        forbidden("https://queue.fal.run/fal-ai/../../x");
        forbidden("https://queue.fal.run/fal-ai/%2e%2e/x");
        forbidden("https://queue.fal.run/fal-ai%2Fwan");
        forbidden("https://queue.fal.run//x");
        forbidden("https://queue.fal.run/");
        forbidden("ftp://queue.fal.run/x");
    }

    #[test]
    fn refuses_non_urls_as_invalid() {
        for raw in [
            "",
            "  ",
            "queue.fal.run/x",
            "/fal-ai/wan",
            "https://",
            "https://queue.fal.run\\@evil.example/",
            "https://queue.fal.run/x#frag",
            "https://queue.fal.run/a b",
        ] {
            assert!(
                matches!(parse_target(raw), Err(TargetError::Invalid(_))),
                "{raw:?}: {:?}",
                parse_target(raw)
            );
        }
    }

    #[test]
    fn the_simulators_own_bases_stand_for_fal_hosts() {
        let origin = "http://127.0.0.1:8080";
        let (t, base) = parse_simulator_target(
            "http://127.0.0.1:8080/sim/queue/fal-ai/wan/requests/r/status?logs=1",
            origin,
        )
        .unwrap();
        assert_eq!(base, "http://127.0.0.1:8080/sim/queue");
        assert_eq!(
            t.url(),
            "https://queue.fal.run/fal-ai/wan/requests/r/status?logs=1"
        );
        let (t, _) = parse_simulator_target(
            "http://127.0.0.1:8080/sim/rest/storage/upload/initiate?storage_type=fal-cdn-v3",
            origin,
        )
        .unwrap();
        assert_eq!(t.host, FalHost::Rest);
        for other in [
            "http://evil.example/sim/queue/fal-ai/wan/requests/r",
            "http://127.0.0.1:8081/sim/queue/fal-ai/wan/requests/r",
            "http://127.0.0.1:8080/sim/queuex/a/b",
            "http://127.0.0.1:8080/sim/rest/tokens/",
            "http://127.0.0.1:8080/sim/queue/fal-ai/../x",
            "http://127.0.0.1:8080/sim/control",
        ] {
            assert!(parse_simulator_target(other, origin).is_none(), "{other}");
        }
    }
}
