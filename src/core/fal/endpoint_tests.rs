//! Tests for [`super`]: endpoint ids, the sub-path rule, returned URLs.

use super::*;

const ID: &str = "764cabcf-b745-4b3e-ae38-1200304cf45b";

fn wan() -> QueueEndpoint {
    QueueEndpoint::new(
        "https://queue.fal.run",
        "fal-ai/wan/v2.7/reference-to-video",
    )
    .unwrap()
}

#[test]
fn parses_endpoint_ids_like_fal_js() {
    let id = EndpointId::parse("fal-ai/wan/v2.7/reference-to-video").unwrap();
    assert_eq!(id.owner, "fal-ai");
    assert_eq!(id.alias, "wan");
    assert_eq!(id.path.as_deref(), Some("v2.7/reference-to-video"));
    assert_eq!(id.app(), "fal-ai/wan");
    assert_eq!(id.full(), "fal-ai/wan/v2.7/reference-to-video");

    let plain = EndpointId::parse("fal-ai/flux").unwrap();
    assert_eq!((plain.app(), plain.path), ("fal-ai/flux".to_owned(), None));

    let ns = EndpointId::parse("workflows/me/my-flow/run").unwrap();
    assert_eq!(ns.namespace.as_deref(), Some("workflows"));
    assert_eq!(ns.app(), "workflows/me/my-flow");
    assert_eq!(ns.full(), "workflows/me/my-flow/run");

    for bad in [
        "wan",
        "",
        "fal-ai//wan",
        "fal-ai/../x",
        "fal-ai/wan?x=1",
        "a b/c",
    ] {
        assert!(EndpointId::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn submit_keeps_the_sub_path_and_request_urls_drop_it() {
    let q = wan();
    assert_eq!(
        q.submit_url(),
        "https://queue.fal.run/fal-ai/wan/v2.7/reference-to-video"
    );
    let urls = q.built_urls(ID).unwrap();
    let base = format!("https://queue.fal.run/fal-ai/wan/requests/{ID}");
    assert_eq!(urls.response, base);
    assert_eq!(urls.status, format!("{base}/status"));
    assert_eq!(urls.stream, format!("{base}/status/stream"));
    assert_eq!(urls.cancel, format!("{base}/cancel"));
    for url in [&urls.response, &urls.status, &urls.stream, &urls.cancel] {
        assert!(!url.contains("v2.7"), "{url}");
    }
}

#[test]
fn base_urls_may_carry_a_path_prefix() {
    let q = QueueEndpoint::new(
        "http://127.0.0.1:8080/sim/queue/",
        "fal-ai/wan/v2.7/reference-to-video",
    )
    .unwrap();
    assert_eq!(
        q.submit_url(),
        "http://127.0.0.1:8080/sim/queue/fal-ai/wan/v2.7/reference-to-video"
    );
    assert_eq!(
        q.built_urls("abc").unwrap().status,
        "http://127.0.0.1:8080/sim/queue/fal-ai/wan/requests/abc/status"
    );
    for bad in [
        "ftp://x",
        "https://q.example/?a=1",
        "https://user@q.example",
        "/relative",
        "https://q.example/a/../b",
    ] {
        assert!(BaseUrl::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn prefers_returned_urls_on_the_expected_origin_and_prefix() {
    let q = QueueEndpoint::new(
        "http://127.0.0.1:8080/sim/queue",
        "fal-ai/wan/v2.7/reference-to-video",
    )
    .unwrap();
    let returned = ReturnedUrls {
        status_url: Some("http://127.0.0.1:8080/sim/queue/r/fal-ai/wan/requests/abc/status".into()),
        response_url: Some("http://127.0.0.1:8080/sim/queue/r/fal-ai/wan/requests/abc".into()),
        cancel_url: Some("http://127.0.0.1:8080/sim/queue/r/fal-ai/wan/requests/abc/cancel".into()),
    };
    let urls = q.urls_for("abc", &returned).unwrap();
    assert_eq!(urls.status, returned.status_url.clone().unwrap());
    assert_eq!(urls.response, returned.response_url.clone().unwrap());
    assert_eq!(urls.cancel, returned.cancel_url.clone().unwrap());
    assert_eq!(
        urls.stream,
        "http://127.0.0.1:8080/sim/queue/r/fal-ai/wan/requests/abc/status/stream"
    );
}

#[test]
fn returned_urls_on_a_foreign_host_or_outside_the_prefix_are_replaced() {
    let q = QueueEndpoint::new(
        "http://127.0.0.1:8080/sim/queue",
        "fal-ai/wan/v2.7/reference-to-video",
    )
    .unwrap();
    let built = q.built_urls("abc").unwrap();
    for foreign in [
        "https://evil.example/sim/queue/fal-ai/wan/requests/abc",
        "http://127.0.0.1:9999/sim/queue/fal-ai/wan/requests/abc",
        "https://127.0.0.1:8080/sim/queue/fal-ai/wan/requests/abc",
        "http://127.0.0.1:8080/sim/queueX/fal-ai/wan/requests/abc",
        "http://127.0.0.1:8080/other/fal-ai/wan/requests/abc",
        "http://127.0.0.1:8080/sim/queue/../../admin",
        "http://127.0.0.1:8080/sim/queue/%2E%2E/admin",
        "http://evil.example\\@127.0.0.1:8080/sim/queue/x",
        "http://evil.example@127.0.0.1:8080/sim/queue/x",
        "http://127.0.0.1:8080@evil.example/sim/queue/x",
        "not a url",
    ] {
        let returned = ReturnedUrls {
            status_url: Some(format!("{foreign}/status")),
            response_url: Some(foreign.to_owned()),
            cancel_url: Some(format!("{foreign}/cancel")),
        };
        let urls = q.urls_for("abc", &returned).unwrap();
        assert_eq!(urls, built, "{foreign}");
    }
    let none = q.urls_for("abc", &ReturnedUrls::default()).unwrap();
    assert_eq!(none, built);
}

#[test]
fn stream_url_follows_a_returned_status_url_with_a_query() {
    let q = wan();
    let returned = ReturnedUrls {
        status_url: Some(format!(
            "https://queue.fal.run/fal-ai/wan/requests/{ID}/status?region=eu"
        )),
        ..ReturnedUrls::default()
    };
    let urls = q.urls_for(ID, &returned).unwrap();
    assert_eq!(
        urls.stream,
        format!("https://queue.fal.run/fal-ai/wan/requests/{ID}/status/stream?region=eu")
    );
    let odd = ReturnedUrls {
        status_url: Some(format!("https://queue.fal.run/q/{ID}")),
        ..ReturnedUrls::default()
    };
    let urls = q.urls_for(ID, &odd).unwrap();
    assert_eq!(urls.status, format!("https://queue.fal.run/q/{ID}"));
    assert_eq!(urls.stream, q.built_urls(ID).unwrap().stream);
}

#[test]
fn request_ids_must_be_one_plain_segment() {
    assert!(check_request_id(ID).is_ok());
    for bad in ["", "..", "a/b", "a?b", "a b", "%2e%2e", &"x".repeat(129)] {
        assert!(wan().built_urls(bad).is_err(), "{bad:?}");
    }
    let message = EndpointError::BadRequestId("a/b".into()).to_string();
    assert!(message.contains("a/b"));
}

#[test]
fn adds_query_parameters_in_the_right_place() {
    assert_eq!(with_query("https://h/s", "logs", "1"), "https://h/s?logs=1");
    assert_eq!(
        with_query("https://h/s?a=b", "logs", "1"),
        "https://h/s?a=b&logs=1"
    );
    assert_eq!(
        with_query("https://h/s?", "logs", "1"),
        "https://h/s?logs=1"
    );
    assert_eq!(
        with_query("https://h/s#frag", "logs", "1"),
        "https://h/s?logs=1#frag"
    );
}

#[test]
fn errors_say_what_was_wrong() {
    let id = EndpointError::BadEndpointId("wan".into()).to_string();
    assert!(id.contains("owner/app"), "{id}");
    let base = EndpointError::BadBaseUrl("ftp://x".into()).to_string();
    assert!(
        base.contains("ftp://x") && base.contains("http(s)"),
        "{base}"
    );
    assert_eq!(
        BaseUrl::parse("https://queue.fal.run/").unwrap().as_str(),
        "https://queue.fal.run"
    );
}
