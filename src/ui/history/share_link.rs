//! Share links: "Copy share link" puts the form's settings in a URL, and
//! opening such a URL fills the form and says so.

use leptos::{prelude::*, task::spawn_local};

use crate::core::batch::share::{read_variations_query, variations_query, KEYS as VARIATION_KEYS};
use crate::core::form::share_link::{
    query_without_share, read_share_query, share_url, SharedSettings,
};
use crate::core::url::query_string::without_keys;
use crate::ui::common::SmallButton;
use crate::ui::form::handle::FormHandle;
use crate::web::{copy_text::copy_text, page_address};

/// What the page learned from a share link it was opened with.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedShare {
    /// Settings the link carried that could not be used, in words.
    pub problems: Vec<String>,
}

/// If the page was opened with a share link: loads it into the form,
/// takes its keys out of the address bar so a reload
/// keeps the person's edits, and returns what to tell them.
pub fn open_shared_link(form: FormHandle) -> Option<OpenedShare> {
    let query = page_address::query();
    let opened = read_share_query(&query)?;
    form.set_inputs(&opened.input);
    let mut problems = opened.problems;
    // A batch's settings ride along; a link without them is a single run.
    if let Some(batch) = read_variations_query(&query) {
        form.set_variations(batch.variations);
        problems.extend(batch.problems);
    }
    let rest = without_keys(&query_without_share(&query), |key| {
        VARIATION_KEYS.contains(&key)
    });
    page_address::replace_query(&rest);
    Some(OpenedShare { problems })
}

/// "The form was filled from a shared link", above the form. Built once:
/// the link is read when the page opens, and "Dismiss" only hides it.
#[component]
pub fn SharedLinkNotice(
    /// Set by [`open_shared_link`]; "Dismiss" clears it.
    opened: RwSignal<Option<OpenedShare>>,
) -> impl IntoView {
    opened.get_untracked().map(|share| {
        view! {
            <div class="shared-link-notice" role="status" hidden=move || opened.with(Option::is_none)>
                <p class="shared-link-title">
                    "The form was filled from a shared link. Check it before you generate: the cost is yours."
                </p>
                {(!share.problems.is_empty()).then(|| view! {
                    <ul class="shared-link-problems">
                        {share.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                })}
                <SmallButton label="Dismiss" on_press=Callback::new(move |()| opened.set(None))/>
            </div>
        }
    })
}

/// "Copy share link", below the form: reads the form's settings, copies the
/// link, and shows it for copying by hand if the browser refuses.
#[component]
pub fn CopyShareLink(
    /// The form whose settings the link carries.
    form: FormHandle,
) -> impl IntoView {
    let link = RwSignal::new(None::<(String, Option<String>)>);
    let copied = RwSignal::new(None::<bool>);
    let reader = move |settings: SharedSettings| {
        let Some(page) = page_address::href() else {
            return;
        };
        let mut url = share_url(&page, &settings.input);
        let batch = variations_query(&form.variations());
        if !batch.is_empty() {
            url = format!("{url}&{batch}");
        }
        link.set(Some((url.clone(), settings.left_out_note())));
        copied.set(None);
        spawn_local(async move {
            let ok = copy_text(&url).await.is_ok();
            copied.try_set(Some(ok));
        });
    };
    let note = move || link.with(|l| l.as_ref().and_then(|(_, note)| note.clone()));
    view! {
        <div class="share-link">
            <button type="button" class="button button-secondary"
                on:click=move |_| reader(form.read_shared())>
                "Copy share link"
            </button>
            <span class="copy-status" role="status">
                {move || match copied.get() {
                    Some(true) => "Share link copied",
                    Some(false) => "Copying was blocked: copy the link below",
                    None => "",
                }}
            </span>
            <div class="share-link-field" hidden=move || link.with(Option::is_none)>
                <label class="field-label field-label-small" for="share-link-url">"Share link"</label>
                <input type="text" id="share-link-url" class="share-link-url" readonly
                    aria-describedby="share-link-holds"
                    prop:value=move || link.with(|l| l.as_ref().map(|(url, _)| url.clone()).unwrap_or_default())
                    on:focus=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        input.select();
                    }/>
                <p class="field-hint" id="share-link-holds">
                    "It holds the prompt, the options and the web links of the references: never your fal key or files from this device."
                </p>
            </div>
            <p class="field-hint share-link-note" hidden=move || note().is_none()>{note}</p>
        </div>
    }
}
