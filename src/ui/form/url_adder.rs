//! Adding a reference by its web address.

use leptos::{ev, prelude::*};

use super::context::use_form;
use super::reference_intake::add_url;
use crate::core::model::validation::ReferenceKind;

/// A URL box, a Type choice (guessed from the link's extension unless the
/// person picks) and "Add URL". Problems show under the box at once: this
/// is an action, not a field being filled in.
#[component]
pub fn UrlAdder() -> impl IntoView {
    let ctx = use_form();
    let input_id = ctx.id("url");
    let type_id = ctx.id("url-type");
    let message_id = ctx.id("url-message");
    let text = RwSignal::new(String::new());
    let kind = RwSignal::new(None::<ReferenceKind>);
    let error = RwSignal::new(None::<String>);

    let submit = move || match add_url(ctx, &text.get_untracked(), kind.get_untracked()) {
        Ok(()) => {
            text.set(String::new());
            error.set(None);
        }
        Err(message) => error.set(Some(message)),
    };
    let on_key = move |e: ev::KeyboardEvent| {
        if e.key() == "Enter" {
            e.prevent_default();
            submit();
        }
    };

    view! {
        <div class="url-adder">
            <div class="url-row">
                <div class="url-field">
                    <label class="field-label field-label-small" for=input_id.clone()>"Reference URL"</label>
                    <input
                        id=input_id
                        class="input"
                        type="url"
                        inputmode="url"
                        autocomplete="off"
                        placeholder="https://example.com/cat.png"
                        aria-describedby=message_id.clone()
                        aria-invalid=move || error.with(Option::is_some).then_some("true")
                        prop:value=move || text.get()
                        on:input:target=move |ev| {
                            text.set(ev.target().value());
                            error.set(None);
                        }
                        on:keydown=on_key
                    />
                </div>
                <div class="url-type">
                    <label class="field-label field-label-small" for=type_id.clone()>"Type"</label>
                    <select
                        id=type_id
                        class="select"
                        on:change:target=move |ev| {
                            kind.set(match ev.target().value().as_str() {
                                "image" => Some(ReferenceKind::Image),
                                "video" => Some(ReferenceKind::Video),
                                _ => None,
                            })
                        }
                    >
                        <option value="auto" selected=true>"From the link"</option>
                        <option value="image">"Image"</option>
                        <option value="video">"Video"</option>
                    </select>
                </div>
                <button type="button" class="button button-secondary url-add" on:click=move |_| submit()>
                    "Add URL"
                </button>
            </div>
            <p id=message_id class="field-message" class:is-error=move || error.with(Option::is_some)>
                {move || error.get().unwrap_or_default()}
            </p>
        </div>
    }
}
