//! The panel's content for the current job, and what it does outside the
//! page: the tab title and the optional notification.

use leptos::prelude::*;

use super::runner;
use super::running_job::RunningJob;
use super::{error_view::ErrorView, result_view::ResultView, status_view::StatusView};
use crate::core::fal::error::FalError;
use crate::core::job::display::{tab_title, APP_NAME};
use crate::core::job::state::{Job, JobState};
use crate::core::model::schema::{R2vInput, R2vOutput};
use crate::ui::common::EditAndRerun;
use crate::ui::connection::ConnectionContext;
use crate::ui::on_demand::{on_demand, on_demand_view, unavailable_alert};
use crate::web::notify;

/// What the job panel can ask of the form.
#[derive(Clone, Copy)]
pub struct JobActions {
    /// "Reuse seed": put this seed in the form and lock it.
    pub reuse_seed: Callback<i64>,
    /// "Edit and rerun": load these inputs into the form.
    pub edit_and_rerun: Callback<R2vInput>,
    /// fal refused the input: show its objections next to the form's fields.
    pub show_problems: Callback<FalError>,
}

/// Which view the panel shows; changes only when the job changes phase, so
/// new log lines do not rebuild the view (and lose its scroll position).
#[derive(Clone, PartialEq)]
enum Phase {
    NoJob,
    Live(String),
    Completed(String),
    Failed(String),
    Cancelled(String),
}

/// The current job's status, result or failure.
#[component]
pub fn JobPanel(
    /// The job shown; `None` before the first Generate.
    #[prop(into)]
    current: Signal<Option<RunningJob>>,
    actions: JobActions,
) -> impl IntoView {
    let connection = ConnectionContext::expect();
    let notify_on_done = RwSignal::new(false);
    let phase = Memo::new(move |_| match current.get() {
        None => Phase::NoJob,
        Some(running) => {
            let id = running.record.with(|r| r.id.clone());
            running.job.with(|job| match &job.state {
                JobState::Completed(_) => Phase::Completed(id),
                JobState::Failed(_) => Phase::Failed(id),
                JobState::Cancelled => Phase::Cancelled(id),
                _ => Phase::Live(id),
            })
        }
    });

    // The tab title is outside the reactive tree: an effect keeps it in step.
    Effect::new(move |_| {
        let title = current
            .get()
            .map_or_else(|| APP_NAME.to_string(), |r| r.job.with(tab_title));
        document().set_title(&title);
    });
    // Things that happen once when a job ends.
    Effect::new(move |previous: Option<Phase>| {
        let now = phase.get();
        if previous.as_ref() != Some(&now) {
            if let (Phase::Completed(_), Some(running)) = (&now, current.get_untracked()) {
                if notify_on_done.get_untracked() {
                    let prompt: String = running
                        .record
                        .with_untracked(|r| r.input.prompt.chars().take(100).collect());
                    notify::show("Your video is ready", &prompt);
                }
            }
            if let (Phase::Failed(_), Some(running)) = (&now, current.get_untracked()) {
                if let JobState::Failed(error) = running.job.get_untracked().state {
                    if error.kind.is_about_input() {
                        actions.show_problems.run(error);
                    }
                }
            }
        }
        now
    });

    move || {
        // Read first: this closure re-runs only for what it has read.
        let phase = phase.get();
        let Some(running) = current.get_untracked() else {
            return view! { <EmptyJob/> }.into_any();
        };
        let input = running.record.with_untracked(|r| r.input.clone());
        let request_id = running
            .job
            .with_untracked(|j| j.request.as_ref().map(|r| r.request_id.clone()));
        match phase {
            Phase::NoJob => view! { <EmptyJob/> }.into_any(),
            Phase::Live(_) => {
                on_demand_view(status_view(running, notify_on_done), part_missing).into_any()
            }
            Phase::Completed(_) => match running.job.get_untracked().state {
                JobState::Completed(output) => {
                    let request_id = request_id.unwrap_or_default();
                    on_demand_view(result_view(*output, input, request_id, actions), part_missing)
                        .into_any()
                }
                _ => view! { <EmptyJob/> }.into_any(),
            },
            Phase::Failed(_) => match running.job.get_untracked() {
                Job { state: JobState::Failed(error), .. } => {
                    let job = running.job.get_untracked();
                    let check_again = Callback::new(move |()| {
                        if let Some(Ok(route)) = connection.route() {
                            runner::check_again(running, route);
                        }
                    });
                    view! { <ErrorView error job input actions on_check_again=check_again/> }.into_any()
                }
                _ => view! { <EmptyJob/> }.into_any(),
            },
            Phase::Cancelled(_) => view! {
                <div class="job-cancelled">
                    <p class="job-error-title">"Cancelled"</p>
                    <p>{move || running.cancel_note.get().unwrap_or_else(|| "The job was stopped before it reached fal's queue. Nothing was billed.".into())}</p>
                    <EditAndRerun input rerun=actions.edit_and_rerun/>
                </div>
            }
            .into_any(),
        }
    }
}

on_demand! {
    part = jobs;
    /// The live job's status and logs (its code comes with the job's own).
    async fn status_view(running: RunningJob, notify: RwSignal<bool>) -> AnyView {
        view! { <StatusView running notify/> }.into_any()
    }
}

on_demand! {
    part = jobs;
    /// The result: the player, its facts and actions.
    async fn result_view(
        output: R2vOutput,
        input: R2vInput,
        request_id: String,
        actions: JobActions,
    ) -> AnyView {
        view! { <ResultView output input request_id actions/> }.into_any()
    }
}

/// Where the status or the result would be, when their code did not arrive.
/// (A new job whose code did not arrive fails with its own message, in the
/// error view, which the first load carries.)
fn part_missing() -> AnyView {
    unavailable_alert(
        "This part of the studio did not load from the site (the connection failed). \
         Reload the page to try again; the job is kept in the history.",
    )
}

/// What the panel shows before any job.
#[component]
pub fn EmptyJob() -> impl IntoView {
    view! {
        <div class="empty-state">
            <svg class="empty-icon" viewBox="0 0 48 48" aria-hidden="true">
                <rect x="4" y="10" width="40" height="28" rx="4"/>
                <path d="M20 18l10 6-10 6z"/>
            </svg>
            <p class="empty-title">"No video yet"</p>
            <p class="empty-text">
                "Write a prompt and press Generate. The queue position, live logs "
                "and the finished video will appear here."
            </p>
        </div>
    }
}
