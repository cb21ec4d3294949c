//! The page: header, the request and job panels side by side, and the footer.

use leptos::prelude::*;

use super::{
    footer::Footer,
    form::{FormSubmission, RequestForm},
    header::Header,
    panel::Panel,
};

/// The whole studio. Mounted on the body by `main`, and into a test element
/// by the browser tests.
#[component]
pub fn App() -> impl IntoView {
    // The latest press of Generate. The job lifecycle (uploads, submit,
    // follow) will take submissions from here.
    let (submission, set_submission) = signal(None::<FormSubmission>);
    view! {
        <div class="app">
            <a class="skip-link" href="#request">"Skip to the request form"</a>
            <Header/>
            <main class="app-main">
                <Panel id="request" title="Request" class="panel-request">
                    <RequestForm on_generate=move |s| set_submission.set(Some(s))/>
                </Panel>
                <Panel id="job" title="Status and result" class="panel-job">
                    {move || match submission.get() {
                        Some(s) => view! { <ReadyToSubmit submission=s/> }.into_any(),
                        None => view! { <EmptyJob/> }.into_any(),
                    }}
                </Panel>
            </main>
            <Footer/>
        </div>
    }
}

/// What the job panel says once Generate was pressed, until the job
/// lifecycle exists: what would be sent, and honestly that nothing was.
#[component]
fn ReadyToSubmit(submission: FormSubmission) -> impl IntoView {
    let input = &submission.request.input;
    let uploads = submission.request.uploads.len();
    let files = match uploads {
        0 => String::new(),
        1 => ", 1 local file to upload".to_string(),
        n => format!(", {n} local files to upload"),
    };
    let summary = format!(
        "{} s, {}, {}{files}; estimated {}.",
        input.duration.seconds(),
        input.resolution.as_str(),
        input.aspect_ratio.as_str(),
        submission.cost.headline()
    );
    view! {
        <div class="empty-state" role="status">
            <p class="empty-title">"Ready to submit: " {summary}</p>
            <p class="empty-text">"Sending to fal is not connected yet, so nothing was sent or charged."</p>
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
