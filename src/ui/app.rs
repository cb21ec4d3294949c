//! The page: header, the request and job panels side by side, and the footer.

use leptos::prelude::*;

use crate::core::config::{AppConfig, ConfigError};
use crate::web::runtime_config;

use super::{
    connection::{ConnectionContext, ConnectionPanel, SimulatedBanner},
    footer::Footer,
    form::{FormSubmission, RequestForm},
    header::Header,
    panel::Panel,
};

/// The whole studio: reads the deployer's `config.json`, then shows the
/// studio, or a clear message when the config cannot be used (never a blank
/// page). Mounted on the body by `main`.
#[component]
pub fn App() -> impl IntoView {
    let config = LocalResource::new(runtime_config::load);
    view! {
        <Suspense fallback=|| view! { <p class="app-loading" role="status">"Loading wan-r2v studio…"</p> }>
            {move || Suspend::new(async move {
                match config.await {
                    Ok(config) => view! { <Studio config/> }.into_any(),
                    Err(error) => view! { <ConfigProblem error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What a deployer (or a user of a broken deployment) sees when config.json
/// is wrong: the reason, and who can fix it.
#[component]
fn ConfigProblem(error: ConfigError) -> impl IntoView {
    view! {
        <div class="config-problem" role="alert">
            <h1>"This studio is not set up correctly"</h1>
            <p class="config-problem-reason">{error.to_string()}</p>
            <p>"If you run this site, fix config.json and reload. Otherwise, please tell whoever runs it."</p>
        </div>
    }
}

/// The studio for a given config. Separate from [`App`] so tests can mount
/// it synchronously with the config they need.
#[component]
pub fn Studio(
    /// The deployer's settings; they decide how calls reach fal.
    config: AppConfig,
) -> impl IntoView {
    provide_context(ConnectionContext::new(config));
    // The latest press of Generate. The job lifecycle (uploads, submit,
    // follow) will take submissions from here.
    let (submission, set_submission) = signal(None::<FormSubmission>);
    view! {
        <div class="app">
            <a class="skip-link" href="#request">"Skip to the request form"</a>
            <Header/>
            <SimulatedBanner/>
            <main class="app-main">
                <div class="app-column">
                <ConnectionPanel/>
                <Panel id="request" title="Request" class="panel-request">
                    <RequestForm on_generate=move |s| set_submission.set(Some(s))/>
                </Panel>
                </div>
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
