//! The embedded layout's Connection line: the mode at a glance, the same
//! badge the header shows, and the whole Connection panel one click away.
//! (The postMessage API needs a real host page: e2e/embed.test.mjs.)

use leptos::{prelude::*, task::tick};
use wan_r2v_studio::{
    core::config::runtime::AppConfig,
    ui::{connection::ConnectionContext, embed::EmbedConnection},
    web::key_store,
};
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

use super::form_support::{control, type_into};
use super::{mount, text_of};

fn embedded_line(config: AppConfig) -> impl IntoView {
    provide_context(ConnectionContext::new(config));
    view! { <EmbedConnection/> }
}

fn dot_class(host: &HtmlElement) -> String {
    host.query_selector("summary .status-dot")
        .unwrap()
        .expect("the line has a status dot")
        .class_name()
}

#[wasm_bindgen_test]
async fn the_folded_line_says_the_mode_and_follows_the_key() {
    key_store::forget();
    let (host, _h) = mount(|| embedded_line(AppConfig::default()));
    tick().await;
    assert_eq!(
        text_of(&host, "summary.embed-connection-line"),
        "Connection: No fal key yet"
    );
    assert_eq!(dot_class(&host), "status-dot status-dot-warn");
    let summary = host.query_selector("summary").unwrap().unwrap();
    assert!(summary
        .get_attribute("title")
        .unwrap()
        .contains("Enter your fal key"));
    // The dot is decoration: the words carry the mode.
    assert_eq!(
        host.query_selector("summary .status-dot")
            .unwrap()
            .unwrap()
            .get_attribute("aria-hidden")
            .as_deref(),
        Some("true")
    );

    // The panel inside the fold is the usual one.
    type_into(&control(&host, "fal key"), "id9:secret9");
    tick().await;
    assert_eq!(
        text_of(&host, "summary.embed-connection-line"),
        "Connection: Your fal key"
    );
    assert_eq!(dot_class(&host), "status-dot status-dot-ok");
    assert!(text_of(&host, ".connection-mode").contains("straight from this browser to fal"));
}

#[wasm_bindgen_test]
async fn a_simulated_deployment_shows_its_own_colour() {
    key_store::forget();
    let config = AppConfig {
        proxy_url: Some("./api/fal/proxy".into()),
        simulated: true,
        ..AppConfig::default()
    };
    let (host, _h) = mount(move || embedded_line(config.clone()));
    tick().await;
    assert_eq!(
        text_of(&host, "summary.embed-connection-line"),
        "Connection: Simulated"
    );
    assert_eq!(dot_class(&host), "status-dot status-dot-sim");
}
