//! Tests for [`super`]: where an access code may go (the proxy, in one
//! header) and where it never goes (fal, storage, URLs, snippets, links).

use super::*;
use crate::core::access::access_code::{AccessCode, ACCESS_CODE_HEADER};
use crate::core::fal::calls::{self, CallKind};
use crate::core::fal::endpoint::{QueueEndpoint, ReturnedUrls};
use crate::core::form::share_link::share_query;
use crate::core::form::snippets::{snippet, SnippetLanguage};
use crate::core::form::state::FormState;

const CODE: &str = "wan_3f5c09ab44e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f";
const KEY: &str = "3b5c2e1a-7d4f-4c1b-9e8a-2f6d5c4b3a21:a8f7e6d5c4b3a2918f7e6d5c4b3a2918";

fn code() -> Option<AccessCode> {
    Some(AccessCode::parse(CODE).unwrap())
}

fn every_call(config: &AppConfig) -> Vec<FalCall> {
    let queue = QueueEndpoint::from_config(config).unwrap();
    let rest = BaseUrl::parse(&config.rest_base_url).unwrap();
    let urls = queue.urls_for("req-1", &ReturnedUrls::default()).unwrap();
    let upload = &rest.join("files/upload/u1?sig=1");
    vec![
        calls::submit(&queue, &crate::core::model::schema::R2vInput::default()),
        calls::status(&urls),
        calls::status_stream(&urls),
        calls::result(&urls),
        calls::cancel(&urls),
        calls::test_connection(&queue),
        calls::storage_initiate(&rest, "image/png", "a.png"),
        calls::upload_file(upload, 10, "image/png").unwrap(),
        calls::upload_part(upload, 1, 0, 10).unwrap(),
    ]
}

/// The code anywhere in a request: its URL, any header, its body.
fn carries_code(request: &HttpRequest) -> bool {
    request.url.contains(CODE)
        || request.headers.iter().any(|(_, v)| v.contains(CODE))
        || format!("{:?}", request.body).contains(CODE)
}

fn proxy_transport(proxy: &str, forwarded_key: Option<FalKey>) -> (AppConfig, Transport) {
    let config = AppConfig {
        proxy_url: Some(proxy.into()),
        ..AppConfig::default()
    };
    let connection = Connection::Proxy {
        url: proxy.into(),
        forwarded_key,
    };
    let transport = Transport::new(&config, connection)
        .unwrap()
        .with_access_code(code());
    (config, transport)
}

#[test]
fn the_code_goes_to_the_proxy_in_its_header_only() {
    let (config, transport) = proxy_transport("/api/fal/proxy", None);
    for call in every_call(&config) {
        let sent = transport.prepare(&call);
        if call.kind.route() == Route::Fal {
            assert_eq!(sent.url, "/api/fal/proxy", "{:?}", call.kind);
            assert_eq!(
                sent.header(ACCESS_CODE_HEADER),
                Some(CODE),
                "{:?}",
                call.kind
            );
            let elsewhere = HttpRequest {
                headers: sent
                    .headers
                    .iter()
                    .filter(|(n, _)| !n.eq_ignore_ascii_case(ACCESS_CODE_HEADER))
                    .cloned()
                    .collect(),
                ..sent.clone()
            };
            assert!(
                !carries_code(&elsewhere),
                "only in its header: {:?}",
                call.kind
            );
        } else {
            // Byte uploads go straight to storage: never the code.
            assert!(
                !carries_code(&sent),
                "{:?} went to storage with the code",
                call.kind
            );
        }
    }
}

#[test]
fn the_code_never_goes_to_fal_hosts() {
    // Direct mode: everything goes to fal or storage, so nothing carries it.
    let config = AppConfig::default();
    let direct = Connection::Direct {
        key: FalKey::parse(KEY).unwrap(),
    };
    let transport = Transport::new(&config, direct)
        .unwrap()
        .with_access_code(code());
    for call in every_call(&config) {
        let sent = transport.prepare(&call);
        assert!(!carries_code(&sent), "{:?} sent to {}", call.kind, sent.url);
    }
    // A proxy address that is itself a fal host (a misconfiguration) does
    // not get it either.
    let (config, transport) = proxy_transport("https://queue.fal.run/proxy", None);
    for call in every_call(&config) {
        assert!(!carries_code(&transport.prepare(&call)), "{:?}", call.kind);
    }
}

#[test]
fn a_caller_cannot_smuggle_a_code_header_in() {
    let config = AppConfig::default();
    let direct = Connection::Direct {
        key: FalKey::parse(KEY).unwrap(),
    };
    let transport = Transport::new(&config, direct).unwrap();
    let mut call = every_call(&config).remove(0);
    call.request
        .headers
        .push(("X-Wan-Access-Code".into(), CODE.into()));
    assert_eq!(call.kind, CallKind::Submit);
    assert!(!carries_code(&transport.prepare(&call)));
}

#[test]
fn snippets_links_and_debug_output_never_hold_the_code() {
    let (_, transport) = proxy_transport("/api/fal/proxy", FalKey::parse(KEY).ok());
    assert!(!format!("{transport:?}").contains(CODE));
    // Snippets and share links are made from the form alone: whatever the
    // transport holds, they cannot contain it.
    let state = FormState {
        prompt: "a red fox".into(),
        ..FormState::default()
    };
    let request = state.request();
    for language in SnippetLanguage::ALL {
        assert!(!snippet(&request, language).contains(CODE), "{language:?}");
    }
    assert!(!share_query(&request.input).contains(CODE));
}
