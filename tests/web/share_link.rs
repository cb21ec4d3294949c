//! Share links in the browser: "Copy share link" reads the form's settings
//! (never the key), and a page opened from a link says so.

use leptos::prelude::*;
use wan_r2v_studio::ui::{
    form::{handle::FormHandle, RequestForm},
    history::{CopyShareLink, SharedLinkNotice},
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use super::form_support::{control, local_storage, press, settle, type_into, wait_until};
use super::history::{shown, text};
use super::mount;

#[wasm_bindgen_test]
async fn copy_share_link_reads_the_form_and_never_the_key() {
    const FORM_KEY: &str = "test.history.share-form";
    local_storage().remove_item(FORM_KEY).unwrap();
    let (host, _handle) = mount(move || {
        let form = FormHandle::new(FORM_KEY, |_| {});
        view! {
            <RequestForm form/>
            <CopyShareLink form/>
        }
    });
    wait_until("the form is built", || {
        host.query_selector("textarea").unwrap().is_some()
    })
    .await;
    type_into(&control(&host, "Prompt"), "A heron & a fish: 100%");
    settle().await;
    press(&host, "Copy share link");
    wait_until("the link is shown", || {
        host.query_selector(".share-link-url")
            .unwrap()
            .is_some_and(|i| {
                !i.unchecked_into::<web_sys::HtmlInputElement>()
                    .value()
                    .is_empty()
            })
    })
    .await;
    assert!(shown(&host, "Share link"));
    let link: web_sys::HtmlInputElement = host
        .query_selector(".share-link-url")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let url = link.value();
    assert!(
        url.contains("?r2v=1&prompt=A%20heron%20%26%20a%20fish%3A%20100%25&"),
        "{url}"
    );
    assert!(!url.to_lowercase().contains("key"), "{url}");
    local_storage().remove_item(FORM_KEY).unwrap();
}

#[wasm_bindgen_test]
async fn an_opened_share_link_says_so_and_lists_what_it_could_not_use() {
    use wan_r2v_studio::ui::history::OpenedShare;
    let opened = RwSignal::new(Some(OpenedShare {
        problems: vec!["The duration “12” is not 2 to 10 seconds; 5 s is used.".into()],
    }));
    let (host, _handle) = mount(move || view! { <SharedLinkNotice opened/> });
    settle().await;
    let said = text(&host);
    assert!(
        said.contains("The form was filled from a shared link."),
        "{said}"
    );
    assert!(
        said.contains("The duration “12” is not 2 to 10 seconds"),
        "{said}"
    );
    press(&host, "Dismiss");
    settle().await;
    assert_eq!(text(&host).trim(), "");
}
