//! The Content-Security-Policy a deployment should send with `index.html`,
//! derived from its `config.json`.
//!
//! The policy has no `'unsafe-inline'` and no `'unsafe-eval'`: the app starts
//! from an external script (`js/start-app.js`, see `Trunk.toml`), its styles
//! are files, and WebAssembly needs only `'wasm-unsafe-eval'`. What varies
//! between deployments is where the app talks to (fal's hosts, a proxy on
//! another origin) and who may frame it (`embed_allowed_origins`); both come
//! from the config, so the policy is computed here rather than copied by hand.
//! `docs/deploying.md` explains each directive; the nginx and Netlify files
//! there carry [`content_security_policy`] of the default config, which a
//! test below keeps in step.

use crate::core::config::runtime::AppConfig;
use crate::core::url;

/// How the policy reaches the browser. A `<meta http-equiv>` policy (for
/// hosts that cannot set headers, such as GitHub Pages) cannot carry
/// `frame-ancestors`: browsers ignore it there and log an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Header,
    Meta,
}

/// The policy for `config`, as one header value.
pub fn content_security_policy(config: &AppConfig) -> String {
    policy(config, Delivery::Header)
}

/// The policy for `config` delivered as `delivery`.
pub fn policy(config: &AppConfig, delivery: Delivery) -> String {
    let mut directives = vec![
        "default-src 'self'".to_owned(),
        // The app's own JS glue and start script; compiling the wasm.
        "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
        "style-src 'self'".to_owned(),
        // Previews of local files (blob:), the favicon (data: is harmless
        // for images), and reference images from any https host.
        "img-src 'self' blob: data: https:".to_owned(),
        // The result video on fal's CDN, previews of local videos (blob:)
        // and reference videos from any https host.
        "media-src 'self' blob: https:".to_owned(),
        format!("connect-src {}", connect_sources(config).join(" ")),
        "font-src 'self'".to_owned(),
        "object-src 'none'".to_owned(),
        "base-uri 'self'".to_owned(),
        "form-action 'self'".to_owned(),
    ];
    if delivery == Delivery::Header {
        directives.push(format!("frame-ancestors {}", frame_ancestors(config)));
    }
    directives.join("; ")
}

/// Where the app may send requests: itself (config.json, a relative proxy),
/// the configured queue and REST hosts, an absolute proxy, and fal's storage
/// hosts (`storage_hosts`: uploads go there straight from the browser,
/// never through a proxy).
fn connect_sources(config: &AppConfig) -> Vec<String> {
    let mut sources = vec!["'self'".to_owned()];
    let absolute = [
        Some(config.queue_base_url.as_str()),
        Some(config.rest_base_url.as_str()),
        config.proxy_url.as_deref(),
    ];
    for origin in absolute.into_iter().flatten().filter_map(origin_of) {
        if !sources.contains(&origin) {
            sources.push(origin);
        }
    }
    for host in &config.storage_hosts {
        if !sources.contains(host) {
            sources.push(host.clone());
        }
    }
    sources
}

/// Who may put the studio in a frame: the pages allowed to embed it, and
/// the site itself. With none listed, a page elsewhere cannot frame the
/// studio at all, so nobody can overlay its paid Generate button.
fn frame_ancestors(config: &AppConfig) -> String {
    if config.embed_allowed_origins.iter().any(|o| o == "*") {
        return "*".to_owned();
    }
    let mut sources = vec!["'self'".to_owned()];
    for origin in config
        .embed_allowed_origins
        .iter()
        .filter_map(|o| origin_of(o))
    {
        if !sources.contains(&origin) {
            sources.push(origin);
        }
    }
    sources.join(" ")
}

/// What to say when the browser blocked a request under the policy (its
/// `securitypolicyviolation` event): which host, and the config key that
/// adds it. `None` for other directives (they allow every https host, or
/// concern the app's own files).
pub fn blocked_request_message(blocked_uri: &str, effective_directive: &str) -> Option<String> {
    if effective_directive != "connect-src" {
        return None;
    }
    let host = origin_of(blocked_uri).unwrap_or_else(|| blocked_uri.to_owned());
    Some(format!(
        "This browser blocked a request to {host}: this site's Content-Security-Policy does not \
         allow that host, so the upload or download there did not happen. If fal stores files \
         there, whoever runs this site adds \"{host}\" to storage_hosts in config.json (the \
         policy is made from it; see docs/deploying.md)."
    ))
}

/// `scheme://host[:port]` of an absolute http(s) URL; `None` for a
/// relative one (covered by `'self'`).
fn origin_of(value: &str) -> Option<String> {
    url::parse(value)
        .ok()
        .filter(|u| matches!(u.scheme.as_str(), "http" | "https") && !u.host.is_empty())
        .map(|u| u.origin())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directive<'a>(policy: &'a str, name: &str) -> &'a str {
        policy
            .split("; ")
            .find(|d| d.split(' ').next() == Some(name))
            .unwrap_or_else(|| panic!("no {name} in {policy}"))
    }

    #[test]
    fn the_default_policy_allows_fal_and_nothing_inline() {
        let policy = content_security_policy(&AppConfig::default());
        assert_eq!(
            policy,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' blob: data: https:; media-src 'self' blob: https:; \
             connect-src 'self' https://queue.fal.run https://rest.fal.ai https://*.fal.media; \
             font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
             frame-ancestors 'self'"
        );
        assert!(!policy.contains("unsafe-inline"));
        assert!(!policy.contains("'unsafe-eval'"));
    }

    #[test]
    fn connect_src_follows_the_configured_hosts() {
        let config = AppConfig {
            proxy_url: Some("https://proxy.example:8443/api/fal/proxy".into()),
            queue_base_url: "http://127.0.0.1:9000/sim/queue".into(),
            rest_base_url: "http://127.0.0.1:9000/sim/rest".into(),
            ..AppConfig::default()
        };
        assert_eq!(
            directive(&content_security_policy(&config), "connect-src"),
            "connect-src 'self' http://127.0.0.1:9000 https://proxy.example:8443 https://*.fal.media"
        );
        // A proxy on this site needs nothing beyond 'self'.
        let relative = AppConfig {
            proxy_url: Some("./api/fal/proxy".into()),
            ..AppConfig::default()
        };
        assert_eq!(
            directive(&content_security_policy(&relative), "connect-src"),
            "connect-src 'self' https://queue.fal.run https://rest.fal.ai https://*.fal.media"
        );
    }

    #[test]
    fn storage_hosts_feed_connect_src() {
        let config = AppConfig::from_json(
            r#"{"storage_hosts": ["https://*.fal.media", "https://storage.example.com"]}"#,
        )
        .unwrap();
        assert_eq!(
            directive(&content_security_policy(&config), "connect-src"),
            "connect-src 'self' https://queue.fal.run https://rest.fal.ai https://*.fal.media \
             https://storage.example.com"
        );
    }

    #[test]
    fn a_blocked_upload_names_the_host_and_the_key_that_adds_it() {
        let text = blocked_request_message(
            "https://storage.example.com/upload/abc?sig=1",
            "connect-src",
        )
        .unwrap();
        assert!(
            text.contains("blocked a request to https://storage.example.com:"),
            "{text}"
        );
        assert!(text.contains("adds \"https://storage.example.com\" to storage_hosts"));
        assert!(
            !text.contains("sig=1"),
            "the URL's query (a signature) is not shown"
        );
        assert_eq!(
            blocked_request_message("https://x.example/a.js", "script-src-elem"),
            None
        );
    }

    #[test]
    fn frame_ancestors_are_the_embedding_origins() {
        let mut config = AppConfig {
            embed_allowed_origins: vec![
                "https://host.example".into(),
                "http://127.0.0.1:9000/".into(),
            ],
            ..AppConfig::default()
        };
        assert_eq!(
            directive(&content_security_policy(&config), "frame-ancestors"),
            "frame-ancestors 'self' https://host.example http://127.0.0.1:9000"
        );
        config.embed_allowed_origins.push("*".into());
        assert_eq!(
            directive(&content_security_policy(&config), "frame-ancestors"),
            "frame-ancestors *"
        );
    }

    #[test]
    fn a_meta_policy_leaves_out_what_meta_cannot_carry() {
        let meta = policy(&AppConfig::default(), Delivery::Meta);
        assert!(!meta.contains("frame-ancestors"));
        assert!(meta.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"));
    }

    /// The deployment files in docs/ carry the default policy verbatim; a
    /// change here that is not made there fails this test.
    #[test]
    fn the_documented_configs_carry_the_default_policy() {
        let header = content_security_policy(&AppConfig::default());
        let meta = policy(&AppConfig::default(), Delivery::Meta);
        let nginx = include_str!("../../../docs/deploy/nginx.conf");
        assert!(
            nginx.contains(&format!("Content-Security-Policy \"{header}\" always;")),
            "docs/deploy/nginx.conf must send:\n{header}"
        );
        let netlify = include_str!("../../../docs/deploy/netlify/_headers");
        assert!(
            netlify.contains(&format!("Content-Security-Policy: {header}\n")),
            "docs/deploy/netlify/_headers must send:\n{header}"
        );
        let deploying = include_str!("../../../docs/deploying.md");
        assert!(
            deploying.contains(&format!(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"{meta}\">"
            )),
            "docs/deploying.md must show the meta policy:\n{meta}"
        );
        let script = include_str!("../../../scripts/add-csp-meta");
        assert!(
            script.contains(&format!(
                "\n<meta http-equiv=\"Content-Security-Policy\" content=\"{meta}\">\n"
            )),
            "scripts/add-csp-meta must insert:\n{meta}"
        );
    }
}
