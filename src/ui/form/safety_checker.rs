//! "Safety checker": on by default; turning it off asks first.

use leptos::{ev, prelude::*};

use super::context::use_form;
use super::switch::Switch;

/// The model's `enable_safety_checker`. Switching it off is a choice with
/// consequences for the person generating, so it takes a second, explicit
/// press in an inline confirmation; switching it back on is immediate.
#[component]
pub fn SafetyChecker() -> impl IntoView {
    let ctx = use_form();
    let confirming = RwSignal::new(false);
    let switch_id = ctx.id("safety");
    let keep_id = ctx.id("safety-keep");
    let title_id = ctx.id("safety-confirm-title");
    let text_id = ctx.id("safety-confirm-text");

    let press = move |_| {
        if ctx.state.with_untracked(|s| s.safety_checker) {
            confirming.set(true);
            ctx.focus_later(ctx.id("safety-keep"));
        } else {
            ctx.state.update(|s| s.safety_checker = true);
        }
    };
    let close = move |turn_off: bool| {
        if turn_off {
            ctx.state.update(|s| s.safety_checker = false);
        }
        confirming.set(false);
        ctx.focus_later(ctx.id("safety"));
    };
    let on_key = move |e: ev::KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            close(false);
        }
    };

    view! {
        <div class="field">
            <Switch
                id=switch_id.clone()
                label="Safety checker"
                description="On: fal screens the prompt and the video for unsafe content"
                on=Signal::derive(move || ctx.state.with(|s| s.safety_checker))
                on_press=Callback::new(press)
            />
            <div
                    hidden=move || !confirming.get()
                    class="confirm"
                    role="alertdialog"
                    aria-labelledby=title_id.clone()
                    aria-describedby=text_id.clone()
                    on:keydown=on_key
                >
                    <p id=title_id.clone() class="confirm-title">"Turn off the safety checker?"</p>
                    <p id=text_id.clone() class="confirm-text">
                        "fal will not screen the prompt or the video for unsafe content. "
                        "You are responsible for what you generate and share."
                    </p>
                    <div class="confirm-actions">
                        <button type="button" class="button button-danger" on:click=move |_| close(true)>
                            "Turn off"
                        </button>
                        <button
                            id=keep_id.clone()
                            type="button"
                            class="button button-secondary"
                            on:click=move |_| close(false)
                        >
                            "Keep on"
                        </button>
                    </div>
                </div>
        </div>
    }
}
