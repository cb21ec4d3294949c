//! The Connection panel, the header badge and the simulation banner.

use leptos::{prelude::*, task::tick};
use wan_r2v_studio::{core::config::runtime::AppConfig, ui::app::Studio, web::key_store};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use super::form_support::wait_until;
use super::{mount, text_of};

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn key_input(host: &web_sys::HtmlElement) -> web_sys::HtmlInputElement {
    host.query_selector("#fal-key")
        .unwrap()
        .unwrap()
        .unchecked_into()
}

fn type_into(input: &web_sys::HtmlInputElement, text: &str) {
    input.set_value(text);
    let event = web_sys::Event::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
}

fn blur(input: &web_sys::HtmlInputElement) {
    input
        .dispatch_event(&web_sys::Event::new("blur").unwrap())
        .unwrap();
}

fn click(host: &web_sys::HtmlElement, selector: &str) {
    let el: web_sys::HtmlElement = host
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .unchecked_into();
    el.click();
}

fn button_named(host: &web_sys::HtmlElement, name: &str) -> web_sys::HtmlElement {
    let buttons = host.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|n| n.unchecked_into::<web_sys::HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == name)
        .unwrap_or_else(|| panic!("no button named {name:?}"))
}

/// A deployment whose proxy holds the fal key, the person's own key allowed.
fn behind_proxy() -> AppConfig {
    AppConfig {
        proxy_url: Some("./api/fal/proxy".into()),
        ..AppConfig::default()
    }
}

#[wasm_bindgen_test]
async fn a_well_formed_key_switches_the_mode_to_your_key() {
    key_store::forget();
    let (host, _h) = mount(|| view! { <Studio config=AppConfig::default()/> });
    tick().await;
    assert!(text_of(&host, ".connection-slot").contains("No fal key yet"));

    let input = key_input(&host);
    assert_eq!(input.type_(), "password", "the key is masked by default");
    type_into(&input, "  3b5c-id:9f8e7d6c5b4a  ");
    tick().await;
    assert!(text_of(&host, ".connection-slot").contains("Your fal key"));
    assert!(text_of(&host, ".connection-mode").contains("straight from this browser to fal"));
    // Held in memory only: nothing stored without the opt-in.
    assert_eq!(
        local_storage().get_item(key_store::STORAGE_KEY).unwrap(),
        None
    );
}

#[wasm_bindgen_test]
async fn a_malformed_key_is_explained_after_blur_and_not_used() {
    key_store::forget();
    let (host, _h) = mount(|| view! { <Studio config=AppConfig::default()/> });
    tick().await;
    let input = key_input(&host);
    type_into(&input, "only-the-secret-half");
    tick().await;
    assert_eq!(
        text_of(&host, "#fal-key-problem"),
        "",
        "no complaint while typing"
    );
    blur(&input);
    tick().await;
    assert!(text_of(&host, "#fal-key-problem").contains("key_id:key_secret"));
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(text_of(&host, ".connection-slot").contains("No fal key yet"));
}

#[wasm_bindgen_test]
async fn remember_stores_the_key_and_forget_removes_it_everywhere() {
    key_store::forget();
    let (host, _h) = mount(|| view! { <Studio config=AppConfig::default()/> });
    tick().await;
    type_into(&key_input(&host), "id1:secret1");
    tick().await;
    click(&host, ".checkbox-row input");
    tick().await;
    assert_eq!(
        local_storage()
            .get_item(key_store::STORAGE_KEY)
            .unwrap()
            .as_deref(),
        Some("id1:secret1")
    );
    assert!(text_of(&host, ".key-field").contains("local storage"));

    // A second studio on the same device starts with the remembered key.
    let (second, _h2) = mount(|| view! { <Studio config=AppConfig::default()/> });
    tick().await;
    assert!(text_of(&second, ".connection-slot").contains("Your fal key"));

    button_named(&host, "Forget key").click();
    tick().await;
    tick().await;
    assert_eq!(
        local_storage().get_item(key_store::STORAGE_KEY).unwrap(),
        None
    );
    assert_eq!(key_input(&host).value(), "", "{}", host.inner_html());
    assert!(text_of(&host, ".connection-slot").contains("No fal key yet"));
}

#[wasm_bindgen_test]
async fn show_reveals_the_key_on_request() {
    key_store::forget();
    let (host, _h) = mount(|| view! { <Studio config=AppConfig::default()/> });
    tick().await;
    let show = button_named(&host, "Show");
    assert_eq!(show.get_attribute("aria-pressed").as_deref(), Some("false"));
    show.click();
    tick().await;
    assert_eq!(key_input(&host).type_(), "text");
    assert_eq!(
        button_named(&host, "Hide")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
}

#[wasm_bindgen_test]
async fn a_proxy_deployment_needs_no_key_and_says_so() {
    key_store::forget();
    let config = behind_proxy();
    let (host, _h) = mount(move || view! { <Studio config=config.clone()/> });
    tick().await;
    assert!(text_of(&host, ".connection-slot").contains("Proxy"));
    assert!(text_of(&host, ".connection-mode").contains("proxy, which holds the fal key"));
    assert!(text_of(&host, ".panel-connection").contains("Optional: use your own fal key"));
}

#[wasm_bindgen_test]
async fn a_proxy_only_deployment_has_no_key_field() {
    key_store::forget();
    let config = AppConfig {
        proxy_url: Some("/api/fal/proxy".into()),
        allow_user_key: false,
        ..AppConfig::default()
    };
    let (host, _h) = mount(move || view! { <Studio config=config.clone()/> });
    tick().await;
    assert!(host.query_selector("#fal-key").unwrap().is_none());
    button_named(&host, "Test connection");
}

#[wasm_bindgen_test]
async fn simulation_is_announced_on_screen() {
    let config = AppConfig {
        simulated: true,
        ..behind_proxy()
    };
    let (host, _h) = mount(move || view! { <Studio config=config.clone()/> });
    tick().await;
    assert!(text_of(&host, ".simulated-banner").contains("Simulated fal: no real videos, no cost"));
    assert!(text_of(&host, ".connection-slot").contains("Simulated"));
}

#[wasm_bindgen_test]
async fn test_connection_without_a_key_asks_for_one() {
    key_store::forget();
    let (host, _h) = mount(|| view! { <Studio config=AppConfig::default()/> });
    tick().await;
    button_named(&host, "Test connection").click();
    tick().await;
    assert!(text_of(&host, ".test-connection-result").contains("Enter a valid fal key first"));
}

#[wasm_bindgen_test]
async fn a_verdict_made_with_another_key_is_not_shown() {
    key_store::forget();
    // fal's queue on a closed port of this machine: the check gets no answer.
    let config = AppConfig {
        queue_base_url: "http://127.0.0.1:9".into(),
        ..AppConfig::default()
    };
    let (host, _h) = mount(move || view! { <Studio config=config.clone()/> });
    tick().await;
    button_named(&host, "Test connection").click();
    tick().await;
    assert!(text_of(&host, ".test-connection-result").contains("Enter a valid fal key first"));
    type_into(&key_input(&host), "id2:secret2");
    tick().await;
    assert_eq!(text_of(&host, ".test-connection-result"), "");

    button_named(&host, "Test connection").click();
    let result = || text_of(&host, ".test-connection-result");
    wait_until("the check gives up", || {
        result().contains("fal could not be reached from this browser")
    })
    .await;
    // The same key typed again is no new key: the verdict still holds.
    type_into(&key_input(&host), "id2:secret2");
    tick().await;
    assert!(
        result().contains("fal could not be reached"),
        "{}",
        result()
    );
    type_into(&key_input(&host), "id2:secret3");
    tick().await;
    assert_eq!(result(), "");
}

#[wasm_bindgen_test]
async fn the_header_badge_names_the_mode_for_screen_readers_and_colours_its_dot() {
    key_store::forget();
    let (host, _h) = mount(|| view! { <Studio config=AppConfig::default()/> });
    tick().await;
    let dot = || {
        host.query_selector(".connection-slot .status-dot")
            .unwrap()
            .unwrap()
            .class_name()
    };
    assert_eq!(
        text_of(&host, ".connection-slot"),
        "Connection: No fal key yet"
    );
    assert_eq!(
        text_of(&host, ".connection-slot .visually-hidden"),
        "Connection: "
    );
    assert_eq!(dot(), "status-dot status-dot-warn");
    let slot = host.query_selector(".connection-slot").unwrap().unwrap();
    assert_eq!(slot.get_attribute("href").as_deref(), Some("#connection"));
    type_into(&key_input(&host), "id3:secret3");
    tick().await;
    // Now something works: the badge is the panel's button, and the panel
    // the person is typing in stays open.
    assert_eq!(
        text_of(&host, ".connection-slot"),
        "Connection settings: Your fal key"
    );
    let badge = host.query_selector(".connection-slot").unwrap().unwrap();
    assert_eq!(badge.tag_name(), "BUTTON");
    assert_eq!(
        badge.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    assert_eq!(dot(), "status-dot status-dot-ok");
}

#[wasm_bindgen_test]
async fn a_working_proxy_folds_the_panel_behind_the_badge_which_opens_it() {
    key_store::forget();
    let config = behind_proxy();
    let (host, _h) = mount(move || view! { <Studio config=config.clone()/> });
    tick().await;
    let fold = || host.query_selector(".connection-fold").unwrap().unwrap();
    let badge = || host.query_selector("#connection-badge").unwrap().unwrap();
    assert!(fold().has_attribute("hidden"), "folded at first");
    assert_eq!(
        badge().get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert_eq!(
        badge().get_attribute("aria-controls").as_deref(),
        Some("connection")
    );
    click(&host, "#connection-badge");
    tick().await;
    assert!(!fold().has_attribute("hidden"), "the badge opens it");
    assert_eq!(
        badge().get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    click(&host, "#connection-badge");
    tick().await;
    assert!(fold().has_attribute("hidden"), "and folds it again");
}
