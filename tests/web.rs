//! Browser component tests: mount real components in headless Chromium.
//! Run with `cargo test --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use leptos::{prelude::*, task::tick};
use wan_r2v_studio::{core::config::runtime::AppConfig, ui::app::Studio, App};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

// Crate roots resolve `mod x;` beside themselves, so the modules under
// tests/web/ are named by path (cargo would build tests/x.rs as its own target).
#[path = "web/connection.rs"]
mod connection;
#[path = "web/embed.rs"]
mod embed;
#[path = "web/form_fields.rs"]
mod form_fields;
#[path = "web/form_handle.rs"]
mod form_handle;
#[path = "web/form_references.rs"]
mod form_references;
#[path = "web/form_saved_and_api.rs"]
mod form_saved_and_api;
#[path = "web/form_support.rs"]
mod form_support;
#[path = "web/history.rs"]
mod history;
#[path = "web/history_list.rs"]
mod history_list;
#[path = "web/history_storage.rs"]
mod history_storage;
#[path = "web/media_trim.rs"]
mod media_trim;
#[path = "web/share_link.rs"]
mod share_link;
#[path = "web/uploads.rs"]
mod uploads;

wasm_bindgen_test_configure!(run_in_browser);

/// The studio with the default config (direct to fal, no key yet).
fn studio() -> impl IntoView {
    view! { <Studio config=AppConfig::default()/> }
}

/// Waits, a tick at a time, until `selector` matches inside `host`: async
/// work (the config fetch) settles over several ticks.
async fn wait_for(host: &web_sys::HtmlElement, selector: &str) -> web_sys::Element {
    for _ in 0..200 {
        if let Some(found) = host.query_selector(selector).unwrap() {
            return found;
        }
        gloo_timers_sleep(10).await;
    }
    panic!("{selector} never appeared; page: {}", host.inner_html());
}

/// Sleeps on the browser's timer (ticks alone do not let a fetch finish).
async fn gloo_timers_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Mounts `f` into a fresh element so tests in the shared page stay apart.
fn mount<F, N>(f: F) -> (web_sys::HtmlElement, leptos::mount::UnmountHandle<N::State>)
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let document = document();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), f);
    (host, handle)
}

fn text_of(host: &web_sys::HtmlElement, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn shell_names_the_product_and_its_sections() {
    let (host, _handle) = mount(studio);
    tick().await;

    assert_eq!(text_of(&host, ".brand-name"), "wan-r2v studio");
    assert_eq!(text_of(&host, "#request-title"), "Request");
    assert_eq!(text_of(&host, "#job-title"), "Status and result");
    let request = host.query_selector("#request").unwrap().unwrap();
    assert_eq!(
        request.get_attribute("aria-labelledby").as_deref(),
        Some("request-title")
    );
    assert!(text_of(&host, "#job").contains("No video yet"));
}

#[wasm_bindgen_test]
async fn footer_states_the_price_and_links_fal_pricing() {
    let (host, _handle) = mount(studio);
    tick().await;

    let footer = text_of(&host, ".app-footer");
    assert!(footer.contains("$0.10 per second"), "footer was: {footer}");
    let link = host.query_selector(".app-footer a").unwrap().unwrap();
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://fal.ai/pricing")
    );
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
}

#[wasm_bindgen_test]
async fn app_loads_without_a_config_file_and_uses_the_defaults() {
    // The test server has no config.json: a 404 means the defaults.
    let (host, _handle) = mount(App);
    wait_for(&host, ".brand-name").await;
    assert!(host.query_selector(".config-problem").unwrap().is_none());
    assert!(text_of(&host, ".connection-slot").contains("No fal key yet"));
    assert!(host.query_selector(".simulated-banner").unwrap().is_none());
}
