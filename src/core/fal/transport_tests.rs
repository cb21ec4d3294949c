//! Tests for [`super`]: connection choice and where the key may go.

use super::*;
use crate::core::fal::calls::{self, CallKind, CompletedPart};
use crate::core::fal::endpoint::{QueueEndpoint, ReturnedUrls};
use crate::core::fal::http::{Body, Method};
use crate::core::model::schema::R2vInput;

const KEY: &str = "3b5c2e1a-7d4f-4c1b-9e8a-2f6d5c4b3a21:a8f7e6d5c4b3a2918f7e6d5c4b3a2918";
const ID: &str = "764cabcf-b745-4b3e-ae38-1200304cf45b";

fn key() -> FalKey {
    FalKey::parse(KEY).unwrap()
}

fn sim_config() -> AppConfig {
    AppConfig {
        queue_base_url: "http://127.0.0.1:8080/sim/queue".into(),
        rest_base_url: "http://127.0.0.1:8080/sim/rest".into(),
        ..AppConfig::default()
    }
}

fn auth(request: &HttpRequest) -> Option<&str> {
    request.header("authorization")
}

/// Every call the app makes, for a given config.
fn every_call(config: &AppConfig) -> Vec<FalCall> {
    let queue = QueueEndpoint::from_config(config).unwrap();
    let rest = BaseUrl::parse(&config.rest_base_url).unwrap();
    let urls = queue.urls_for(ID, &ReturnedUrls::default()).unwrap();
    // Even an upload URL under the REST base (as a simulator may hand out)
    // must not receive the key: byte uploads never carry it.
    let upload = &rest.join("files/upload/u1?sig=1");
    vec![
        calls::submit(&queue, &R2vInput::default()),
        calls::status(&urls),
        calls::status_stream(&urls),
        calls::result(&urls),
        calls::cancel(&urls),
        calls::test_connection(&queue),
        calls::storage_initiate(&rest, "image/png", "a.png"),
        calls::initiate_multipart(&rest, "video/mp4", "b.mp4"),
        calls::upload_file(upload, 10, "image/png").unwrap(),
        calls::upload_part(upload, 1, 0, 10).unwrap(),
        calls::complete_multipart(
            upload,
            &[CompletedPart {
                part_number: 1,
                etag: "e".into(),
            }],
        )
        .unwrap(),
    ]
}

#[test]
fn key_shape_is_id_colon_secret() {
    assert_eq!(key().expose(), KEY);
    assert_eq!(key().key_id(), "3b5c2e1a-7d4f-4c1b-9e8a-2f6d5c4b3a21");
    assert_eq!(FalKey::parse(&format!("  Key {KEY}\n")).unwrap(), key());
    assert_eq!(FalKey::parse("   "), Err(KeyError::Empty));
    assert_eq!(
        FalKey::parse("a8f7e6d5c4b3a2918f7e"),
        Err(KeyError::NotIdColonSecret)
    );
    assert_eq!(FalKey::parse("id:"), Err(KeyError::NotIdColonSecret));
    assert_eq!(FalKey::parse(":secret"), Err(KeyError::NotIdColonSecret));
    assert_eq!(FalKey::parse("a:b:c"), Err(KeyError::NotIdColonSecret));
    assert_eq!(FalKey::parse("id:se cret"), Err(KeyError::BadCharacters));
    assert_eq!(FalKey::parse("\"id:secret\""), Err(KeyError::BadCharacters));
    assert_eq!(
        FalKey::parse("id:secret\r\nX-Evil: 1"),
        Err(KeyError::BadCharacters)
    );
    assert!(KeyError::NotIdColonSecret
        .to_string()
        .contains("key_id:key_secret"));
    assert_eq!(KeyError::Empty.to_string(), "Enter your fal key.");
    assert!(KeyError::BadCharacters
        .to_string()
        .contains("Copy it again"));
}

#[test]
fn debug_output_never_shows_the_key() {
    let connection = Connection::Direct { key: key() };
    let transport = Transport::new(&AppConfig::default(), connection.clone()).unwrap();
    for text in [
        format!("{:?}", key()),
        format!("{connection:?}"),
        format!("{transport:?}"),
        format!(
            "{:?}",
            choose_connection(&AppConfig::default(), Some(key()))
        ),
    ] {
        assert!(!text.contains("a8f7e6d5"), "{text}");
        assert!(!text.contains("3b5c2e1a"), "{text}");
    }
    assert_eq!(format!("{:?}", key()), "FalKey(<redacted>)");
}

#[test]
fn connection_follows_the_config_and_the_key() {
    let direct = AppConfig::default();
    assert_eq!(choose_connection(&direct, None), ConnectionChoice::NeedsKey);
    assert_eq!(
        choose_connection(&direct, Some(key())),
        ConnectionChoice::Ready(Connection::Direct { key: key() })
    );

    let proxy = AppConfig {
        proxy_url: Some("/api/fal/proxy".into()),
        ..AppConfig::default()
    };
    let keyless = ConnectionChoice::Ready(Connection::Proxy {
        url: "/api/fal/proxy".into(),
        forwarded_key: None,
    });
    assert_eq!(choose_connection(&proxy, None), keyless);
    // A key with a proxy that may not receive it: the key goes to fal only.
    assert_eq!(
        choose_connection(&proxy, Some(key())),
        ConnectionChoice::Ready(Connection::Direct { key: key() })
    );

    let forwarding = AppConfig {
        forward_user_key_to_proxy: true,
        ..proxy.clone()
    };
    assert_eq!(
        choose_connection(&forwarding, Some(key())),
        ConnectionChoice::Ready(Connection::Proxy {
            url: "/api/fal/proxy".into(),
            forwarded_key: Some(key()),
        })
    );
    assert_eq!(choose_connection(&forwarding, None), keyless);

    let proxy_only = AppConfig {
        allow_user_key: false,
        forward_user_key_to_proxy: true,
        ..proxy
    };
    assert_eq!(choose_connection(&proxy_only, Some(key())), keyless);
}

/// The credential-confinement rule, over every call the app makes.
#[test]
fn direct_mode_sends_the_key_only_to_the_configured_fal_hosts() {
    for config in [AppConfig::default(), sim_config()] {
        let transport = Transport::new(&config, Connection::Direct { key: key() }).unwrap();
        for call in every_call(&config) {
            let sent = transport.prepare(&call);
            assert_eq!(
                sent.url, call.request.url,
                "direct mode never rewrites URLs"
            );
            assert_eq!(sent.header(TARGET_URL_HEADER), None);
            match call.kind {
                CallKind::UploadFile | CallKind::UploadPart | CallKind::CompleteMultipart => {
                    assert_eq!(auth(&sent), None, "{:?} must not carry the key", call.kind)
                }
                _ => assert_eq!(
                    auth(&sent),
                    Some(format!("Key {KEY}").as_str()),
                    "{:?}",
                    call.kind
                ),
            }
        }
    }
}

#[test]
fn direct_mode_never_sends_the_key_to_a_foreign_url_even_for_a_fal_call() {
    let config = sim_config();
    let transport = Transport::new(&config, Connection::Direct { key: key() }).unwrap();
    for foreign in [
        "https://evil.example/fal-ai/wan/requests/x/status",
        "http://127.0.0.1:8080/sim/upload/x",
        "http://127.0.0.1:8080/sim/queuex/fal-ai/wan",
        "http://127.0.0.1:9090/sim/queue/fal-ai/wan",
        "https://v3.fal.media/files/a.png",
        "http://evil.example\\@127.0.0.1:8080/sim/queue/x",
    ] {
        for kind in [
            CallKind::Status,
            CallKind::Result,
            CallKind::Cancel,
            CallKind::StorageInitiate,
        ] {
            let call = FalCall {
                kind,
                request: HttpRequest::new(Method::Get, foreign)
                    .with_header("Authorization", "Key smuggled:in"),
            };
            let sent = transport.prepare(&call);
            assert_eq!(auth(&sent), None, "{kind:?} to {foreign}");
        }
    }
}

#[test]
fn proxy_mode_relays_fal_calls_with_the_target_url_and_no_key() {
    let config = AppConfig {
        proxy_url: Some("/api/fal/proxy".into()),
        ..AppConfig::default()
    };
    let transport = Transport::new(
        &config,
        Connection::Proxy {
            url: "/api/fal/proxy".into(),
            forwarded_key: None,
        },
    )
    .unwrap();
    for call in every_call(&config) {
        let sent = transport.prepare(&call);
        assert_eq!(auth(&sent), None, "{:?}", call.kind);
        assert_eq!(sent.method, call.request.method);
        assert_eq!(sent.body, call.request.body);
        if call.kind.route() == Route::Fal {
            assert_eq!(sent.url, "/api/fal/proxy");
            assert_eq!(
                sent.header(TARGET_URL_HEADER),
                Some(call.request.url.as_str())
            );
            for (name, value) in &call.request.headers {
                assert_eq!(sent.header(name), Some(value.as_str()), "{name} kept");
            }
        } else {
            assert_eq!(
                sent.url, call.request.url,
                "{:?} goes to storage",
                call.kind
            );
            assert_eq!(sent.header(TARGET_URL_HEADER), None);
        }
    }
    let status = every_call(&config).swap_remove(1);
    let sent = transport.prepare(&status);
    assert_eq!(
        sent.header(TARGET_URL_HEADER),
        Some(format!("https://queue.fal.run/fal-ai/wan/requests/{ID}/status?logs=1").as_str()),
        "the query is part of the target"
    );
    let submit = transport.prepare(&every_call(&config)[0]);
    assert_eq!(submit.header("x-fal-queue-priority"), Some("normal"));
    assert!(matches!(submit.body, Body::Json(_)));
}

#[test]
fn proxy_mode_forwards_the_key_only_when_allowed_and_only_for_fal_targets() {
    let config = AppConfig {
        proxy_url: Some("https://proxy.example/api/fal/proxy".into()),
        forward_user_key_to_proxy: true,
        ..AppConfig::default()
    };
    let transport = Transport::new(
        &config,
        Connection::Proxy {
            url: "https://proxy.example/api/fal/proxy".into(),
            forwarded_key: Some(key()),
        },
    )
    .unwrap();
    for call in every_call(&config) {
        let sent = transport.prepare(&call);
        match call.kind.route() {
            Route::Fal => assert_eq!(auth(&sent), Some(format!("Key {KEY}").as_str())),
            Route::StorageDirect => assert_eq!(auth(&sent), None, "{:?}", call.kind),
        }
    }
    let foreign = FalCall {
        kind: CallKind::Result,
        request: HttpRequest::new(Method::Get, "https://evil.example/x"),
    };
    assert_eq!(auth(&transport.prepare(&foreign)), None);
}

#[test]
fn a_bad_base_url_is_an_error_not_a_guess() {
    let config = AppConfig {
        queue_base_url: "https://user@queue.fal.run".into(),
        ..AppConfig::default()
    };
    assert!(Transport::new(&config, Connection::Direct { key: key() }).is_err());
}
