//! The sites this person chose "Always allow this site" for, each with a
//! button that takes the permission back: their next `generate` asks
//! again.

use leptos::prelude::*;

use super::ConnectionContext;
use crate::core::embed::consent::site_name;

/// Nothing while no site is always allowed.
#[component]
pub fn EmbedSites() -> impl IntoView {
    let connection = ConnectionContext::expect();
    let always = connection.embed_always;
    move || {
        let origins = always.get();
        (!origins.is_empty()).then(|| {
            view! {
                <div class="embed-sites">
                    <p class="field-label">"Sites that may start jobs without asking"</p>
                    <ul class="embed-sites-list">
                        {origins.into_iter().map(|origin| {
                            let name = site_name(&origin);
                            let revoke = move |_| {
                                let rest: Vec<String> = always
                                    .get_untracked()
                                    .into_iter()
                                    .filter(|o| *o != origin)
                                    .collect();
                                connection.set_embed_always(rest);
                            };
                            view! {
                                <li>
                                    <span>{name.clone()}</span>
                                    " "
                                    <button type="button" class="button button-secondary button-small" on:click=revoke>
                                        {format!("Stop allowing {name}")}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}
