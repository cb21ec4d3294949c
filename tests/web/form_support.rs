//! Helpers for the request form's browser tests: mount a form with its own
//! storage key, find controls by their accessible names, and make files,
//! drops and pastes the way a browser would deliver them.

use leptos::{prelude::*, task::tick};
use wan_r2v_studio::ui::form::{
    handle::{FormHandle, FormSubmission},
    RequestForm,
};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};

/// A mounted form, its handle, and what its Generate handed over.
pub struct MountedForm {
    pub host: HtmlElement,
    pub form: FormHandle,
    pub submissions: RwSignal<Vec<FormSubmission>>,
    // Dropping the handle unmounts the form.
    _handle: Box<dyn std::any::Any>,
}

pub fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Mounts a fresh form whose saved state lives under `key` (cleared first).
pub async fn fresh_form(key: &'static str) -> MountedForm {
    local_storage().remove_item(key).unwrap();
    form_with_saved_state(key).await
}

/// Mounts a form that restores whatever is saved under `key`.
pub async fn form_with_saved_state(key: &'static str) -> MountedForm {
    form_while(key, Signal::derive(|| None)).await
}

/// Mounts a form that restores whatever is saved under `key`, whose
/// Generate sees `busy` as the job in flight.
pub async fn form_while(key: &'static str, busy: Signal<Option<String>>) -> MountedForm {
    let submissions = RwSignal::new(Vec::<FormSubmission>::new());
    // What the page does: the handle is made under the page's owner and
    // lives as long as the mounted form.
    let owner = Owner::new();
    let form = owner.with(|| {
        FormHandle::new(key, move |s: FormSubmission| {
            submissions.update(|v| v.push(s))
        })
        .busy_while(busy)
    });
    let (host, handle) = super::mount(move || view! { <RequestForm form/> });
    // The elements exist at once; the values bound to the state (a box's
    // text, a radio's check) are written on the next ticks.
    settle().await;
    MountedForm {
        host,
        form,
        submissions,
        _handle: Box::new((handle, owner)),
    }
}

/// Sleeps on the browser's timer, so timers and media events can run.
pub async fn sleep(ms: i32) {
    super::gloo_timers_sleep(ms).await;
}

/// Polls `condition` for up to ten seconds.
pub async fn wait_until(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        tick().await;
        sleep(20).await;
    }
    panic!("timed out waiting until {what}");
}

/// Lets the reactive system and the DOM settle after an event.
pub async fn settle() {
    for _ in 0..3 {
        tick().await;
    }
    sleep(30).await;
}

fn all(host: &HtmlElement, selector: &str) -> Vec<HtmlElement> {
    let list = host.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into())
        .collect()
}

fn text(element: &web_sys::Element) -> String {
    element
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The text of the element an `aria-labelledby` (or `for`) points at.
fn referenced_text(host: &HtmlElement, ids: &str) -> String {
    ids.split_whitespace()
        .filter_map(|id| host.query_selector(&format!("[id='{id}']")).unwrap())
        .map(|e| text(&e))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The accessible name, computed the simple way this form names things.
pub fn accessible_name(host: &HtmlElement, element: &HtmlElement) -> String {
    if let Some(label) = element.get_attribute("aria-label") {
        return label;
    }
    if let Some(ids) = element.get_attribute("aria-labelledby") {
        return referenced_text(host, &ids);
    }
    let id = element.id();
    if !id.is_empty() {
        if let Some(label) = host.query_selector(&format!("label[for='{id}']")).unwrap() {
            return text(&label);
        }
    }
    if let Some(label) = element.closest("label").unwrap() {
        return text(&label);
    }
    text(element)
}

/// The visible control (input, textarea, select, button) named `name`.
pub fn control(host: &HtmlElement, name: &str) -> HtmlElement {
    all(host, "input, textarea, select, button")
        .into_iter()
        .find(|e| accessible_name(host, e) == name)
        .unwrap_or_else(|| panic!("no control named {name:?}"))
}

pub fn input(host: &HtmlElement, name: &str) -> HtmlInputElement {
    control(host, name).unchecked_into()
}

pub fn has_control(host: &HtmlElement, name: &str) -> bool {
    all(host, "input, textarea, select, button")
        .into_iter()
        .any(|e| accessible_name(host, &e) == name)
}

fn bubbling(kind: &str) -> web_sys::Event {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    web_sys::Event::new_with_event_init_dict(kind, &init).unwrap()
}

/// Sets a box's text and fires `input`, as typing does.
pub fn type_into(element: &HtmlElement, value: &str) {
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.set_value(value);
    }
    element.dispatch_event(&bubbling("input")).unwrap();
}

/// Fires `change` (radios, selects, file inputs).
pub fn change(element: &HtmlElement) {
    element.dispatch_event(&bubbling("change")).unwrap();
}

/// Focus leaves the field.
pub fn blur(element: &HtmlElement) {
    element
        .dispatch_event(&web_sys::Event::new("blur").unwrap())
        .unwrap();
}

pub fn press(host: &HtmlElement, name: &str) {
    control(host, name).click();
}

pub fn value_of(host: &HtmlElement, name: &str) -> String {
    let element = control(host, name);
    if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        return area.value();
    }
    element.unchecked_into::<HtmlInputElement>().value()
}

/// Text of the first element matching `selector`.
pub fn text_at(host: &HtmlElement, selector: &str) -> String {
    host.query_selector(selector)
        .unwrap()
        .map(|e| text(&e))
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

/// The message shown under the control named `name` (its describedby).
pub fn message_for(host: &HtmlElement, name: &str) -> String {
    let element = control(host, name);
    let ids = element
        .get_attribute("aria-describedby")
        .unwrap_or_default();
    ids.split_whitespace()
        .filter(|id| id.ends_with("-message"))
        .map(|id| referenced_text(host, id))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The labels of the references, in list order ("Image 1", "Not added").
pub fn labels(host: &HtmlElement) -> Vec<String> {
    all(host, ".ref-item")
        .into_iter()
        .map(|item| {
            all(&item, ".ref-label")
                .into_iter()
                .find(|l| !l.hidden())
                .map(|l| text(&l))
                .unwrap_or_default()
        })
        .collect()
}

/// The names (file name or URL) of the references, in list order.
pub fn names(host: &HtmlElement) -> Vec<String> {
    all(host, ".ref-item .ref-name")
        .iter()
        .map(|e| text(e))
        .collect()
}

/// The item whose name is `name`.
pub fn item_named(host: &HtmlElement, name: &str) -> HtmlElement {
    all(host, ".ref-item")
        .into_iter()
        .find(|item| {
            item.query_selector(".ref-name")
                .unwrap()
                .is_some_and(|n| text(&n) == name)
        })
        .unwrap_or_else(|| panic!("no reference named {name}"))
}

/// A file made of `bytes`, as a picker or a drop would hand it over.
pub fn file(name: &str, mime: &str, bytes: &[u8]) -> web_sys::File {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::FilePropertyBag::new();
    options.set_type(mime);
    web_sys::File::new_with_u8_array_sequence_and_options(&parts, name, &options).unwrap()
}

/// A file of `size` zero bytes (for the size limits).
pub fn sized_file(name: &str, mime: &str, size: u32) -> web_sys::File {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::new_with_length(size));
    let options = web_sys::FilePropertyBag::new();
    options.set_type(mime);
    web_sys::File::new_with_u8_array_sequence_and_options(&parts, name, &options).unwrap()
}

pub fn transfer_of(files: &[web_sys::File]) -> web_sys::DataTransfer {
    let data = web_sys::DataTransfer::new().unwrap();
    for f in files {
        data.items().add_with_file(f).unwrap();
    }
    data
}

/// Chooses files in the file picker.
pub fn pick(host: &HtmlElement, files: &[web_sys::File]) {
    let picker = input(host, "Choose files");
    picker.set_files(Some(&transfer_of(files).files().unwrap()));
    change(&picker);
}

/// Drags `data` over the References panel and drops it.
pub fn drop_on_panel(host: &HtmlElement, data: &web_sys::DataTransfer) {
    let panel = host.query_selector(".references").unwrap().unwrap();
    for kind in ["dragenter", "dragover", "drop"] {
        let init = web_sys::DragEventInit::new();
        init.set_bubbles(true);
        init.set_cancelable(true);
        init.set_data_transfer(Some(data));
        let event = web_sys::DragEvent::new_with_event_init_dict(kind, &init).unwrap();
        panel.dispatch_event(&event).unwrap();
        if kind != "drop" {
            assert!(
                event.default_prevented(),
                "{kind} must be cancelled, or the browser opens the file"
            );
        }
    }
}

/// Pastes `data` with the focus on `target`.
pub fn paste_into(target: &web_sys::Element, data: &web_sys::DataTransfer) {
    let init = web_sys::ClipboardEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_clipboard_data(Some(data));
    let event = web_sys::ClipboardEvent::new_with_event_init_dict("paste", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

/// A real 2.5 s H.264 MP4 (64×36, made with ffmpeg).
pub const CLIP_2500MS: &[u8] = include_bytes!("fixtures/clip-2500ms.mp4");
/// A real 8×8 PNG.
pub const DOT_PNG: &[u8] = include_bytes!("fixtures/dot.png");
