//! The page: header, the request and job panels side by side, and the footer.

use leptos::prelude::*;

use super::{footer::Footer, header::Header, panel::Panel};

/// The whole studio. Mounted on the body by `main`, and into a test element
/// by the browser tests.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <div class="app">
            <a class="skip-link" href="#request">"Skip to the request form"</a>
            <Header/>
            <main class="app-main">
                <Panel id="request" title="Request" class="panel-request">
                    <EmptyRequest/>
                </Panel>
                <Panel id="job" title="Status and result" class="panel-job">
                    <EmptyJob/>
                </Panel>
            </main>
            <Footer/>
        </div>
    }
}

/// What the request panel shows until the form is built into it.
#[component]
fn EmptyRequest() -> impl IntoView {
    view! {
        <div class="empty-state">
            <svg class="empty-icon" viewBox="0 0 48 48" aria-hidden="true">
                <rect x="6" y="8" width="36" height="32" rx="4"/>
                <path d="M12 18h24M12 25h16M12 32h10"/>
            </svg>
            <p class="empty-title">"Describe the video you want"</p>
            <p class="empty-text">
                "Your prompt, reference images and videos, aspect ratio, resolution and "
                "duration will be set here, with the cost shown before you pay."
            </p>
        </div>
    }
}

/// What the job panel shows before any job has been submitted.
#[component]
fn EmptyJob() -> impl IntoView {
    view! {
        <div class="empty-state">
            <svg class="empty-icon" viewBox="0 0 48 48" aria-hidden="true">
                <rect x="4" y="10" width="40" height="28" rx="4"/>
                <path d="M20 18l10 6-10 6z"/>
            </svg>
            <p class="empty-title">"No video yet"</p>
            <p class="empty-text">
                "Once you generate, the queue position, live logs and the finished "
                "video will appear here."
            </p>
        </div>
    }
}
