//! The page: header, the request form on the left and the job and history
//! on the right (which stay in view while the form scrolls, style/layout.css),
//! and the footer. The Connection panel sits above the form, folded behind
//! the header's badge once the connection works. With `?embed=1`, the
//! compact layout for an iframe: no header or footer, and the Connection
//! panel folded to a line.

use leptos::either::Either;
use leptos::prelude::*;

use crate::core::config::runtime::{AppConfig, ConfigError};
use crate::core::embed::protocol::embed_requested;
use crate::core::fal::error::FalError;
use crate::core::job::display::status_line;
use crate::core::model::schema::R2vInput;
use crate::ui::batch::{batch_results_view, runner as batch_runner};
use crate::ui::blocked_host::BlockedHostNotice;
use crate::ui::common::show_loaded_form;
use crate::ui::history::store::HistoryStore;
use crate::ui::job::runner as job_runner;
use crate::ui::on_demand::{on_demand_view, unavailable_alert};
use crate::web::{
    embed, form_storage::FORM_STORAGE_KEY, idle, local_time, media_controls, runtime_config,
};

use super::{
    connection::{ConnectionContext, FoldingConnectionPanel, SimulatedBanner},
    embed::{use_embed_api, EmbedConnection, EmbedParts},
    footer::Footer,
    form::{
        handle::{FormHandle, FormSubmission},
        RequestForm,
    },
    header::Header,
    history::{open_shared_link, CopyShareLink, HistoryPanel, LiveJobs, SharedLinkNotice},
    job::{JobActions, JobPanel},
    panel::Panel,
};

/// The whole studio: reads the deployer's `config.json`, then shows the
/// studio, or a clear message when the config cannot be used (never a blank
/// page). Mounted on the body by `main`.
///
/// Deliberately not a `<Suspense>`: a Suspense boundary waits for every
/// resource read anywhere below it, and shows its fallback again whenever
/// one reloads. Around the whole studio that meant a history thumbnail
/// switching to its kept copy tore down and rebuilt the entire page (the
/// form with its chosen files, the player, focus) the moment a job finished.
#[component]
pub fn App() -> impl IntoView {
    let config = RwSignal::new(None::<Result<AppConfig, ConfigError>>);
    leptos::task::spawn_local(async move {
        config.set(Some(runtime_config::load().await));
    });
    move || match config.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(config)) => view! { <Studio config/> }.into_any(),
        Some(Err(error)) => view! { <ConfigProblem error/> }.into_any(),
    }
}

/// While config.json is read: the page's name, a status for screen readers,
/// and the outline of the two panels to come.
#[component]
fn Loading() -> impl IntoView {
    view! {
        <main class="app-loading" aria-busy="true">
            <h1 class="visually-hidden">"wan-r2v studio"</h1>
            <p class="app-loading-text" role="status">"Loading wan-r2v studio…"</p>
            <div class="app-loading-skeleton" aria-hidden="true">
                <div class="skeleton-panel"></div>
                <div class="skeleton-panel"></div>
            </div>
        </main>
    }
}

/// What a deployer (or a user of a broken deployment) sees when config.json
/// is wrong: the reason, and who can fix it.
#[component]
fn ConfigProblem(error: ConfigError) -> impl IntoView {
    view! {
        <main class="config-problem">
            <div role="alert">
                <h1>"This studio is not set up correctly"</h1>
                <p class="config-problem-reason">{error.to_string()}</p>
                <p>"If you run this site, fix config.json and reload. Otherwise, please tell whoever runs it."</p>
            </div>
        </main>
    }
}

/// The studio for a given config. Separate from [`App`] so tests can mount
/// it synchronously with the config they need.
#[component]
pub fn Studio(
    /// The deployer's settings; they decide how calls reach fal.
    config: AppConfig,
) -> impl IntoView {
    let connection = ConnectionContext::new(config);
    provide_context(connection);
    // Every job of this page; the status panel shows the latest Generate,
    // or after a reload the newest job still running, or one opened from
    // the history. Every unfinished job in the history is followed again.
    let jobs = LiveJobs::new(HistoryStore::new());
    provide_context(jobs);
    // Before any result or history entry is shown, so showing one costs no
    // browser warm-up (the player controls' styles, the date formatter).
    media_controls::warm_up_when_idle();
    local_time::prepare_when_idle();
    jobs.follow_unfinished(connection);
    connection.access.watch(jobs.current);
    let current_job = jobs.current;
    let connection_problem = RwSignal::new(None::<String>);
    let generate = move |submission: FormSubmission| match connection.route() {
        Some(Ok(route)) => {
            connection_problem.set(None);
            let FormSubmission {
                request,
                files,
                cost,
                batch,
            } = submission;
            match batch {
                Some(batch) => jobs.add_batch_and_show(batch_runner::start(
                    batch, request, files, route, jobs.store,
                )),
                None => {
                    jobs.add_and_show(job_runner::start(request, files, &cost, route, jobs.store))
                }
            }
            reveal_job_panel();
        }
        Some(Err(error)) => connection_problem.set(Some(format!(
            "This deployment's fal addresses cannot be used: {error}."
        ))),
        None => connection_problem.set(Some(
            "Enter your fal key in the Connection panel to generate.".into(),
        )),
    };
    let current_batch = jobs.batch;
    let busy = Signal::derive(move || {
        if let Some(batch) = current_batch.get().filter(|b| b.is_running()) {
            let (done, total) = batch.progress();
            return Some(format!("Batch running: {done} of {total} runs ended"));
        }
        current_job.get().and_then(|running| {
            running
                .job
                .with(|job| (!job.is_finished()).then(|| status_line(job, None)))
        })
    });
    let form = FormHandle::new(FORM_STORAGE_KEY, generate).busy_while(busy);
    provide_context(form);
    fetch_job_code_once_writing(form);
    let shared_link = RwSignal::new(open_shared_link(form));
    let actions = JobActions {
        reuse_seed: Callback::new(move |seed| form.reuse_seed(seed)),
        edit_and_rerun: Callback::new(move |input: R2vInput| {
            form.set_inputs(&input);
            show_loaded_form(form);
        }),
        show_problems: Callback::new(move |error: FalError| form.show_problems(&error)),
    };
    // `?embed=1`: the compact layout for an iframe (docs/embedding.md).
    let embedded = embed_requested(&embed::page_query());
    use_embed_api(EmbedParts {
        connection,
        current_job,
        current_batch: jobs.batch,
        form,
    });
    // The job's progress for screen readers: one polite live region, in the
    // page before the first job (a region added together with its text is
    // often not read) and kept through every phase. It says the phase and
    // the queue position, never the running seconds, so it speaks only when
    // something changes (a Memo: a new log line is no change).
    let announcement = Memo::new(move |_| {
        if let Some(batch) = current_batch.get() {
            let (done, total) = batch.progress();
            return format!("Batch: {done} of {total} runs ended");
        }
        current_job
            .get()
            .map(|running| running.job.with(|job| status_line(job, None)))
            .unwrap_or_default()
    });
    view! {
        <div class="app" class:app-embedded=embedded>
            <a class="skip-link" href="#request">"Skip to the request form"</a>
            {(!embedded).then(|| view! { <Header/> })}
            <SimulatedBanner/>
            <main class="app-main">
                // No header in a frame; the page still has its one heading.
                {embedded.then(|| view! { <h1 class="visually-hidden">"wan-r2v studio"</h1> })}
                <div class="app-column app-column-request">
                {if embedded {
                    Either::Left(view! { <EmbedConnection/> })
                } else {
                    Either::Right(view! { <FoldingConnectionPanel/> })
                }}
                <Panel id="request" title="Request" class="panel-request">
                    <SharedLinkNotice opened=shared_link/>
                    <RequestForm form/>
                    <CopyShareLink form/>
                </Panel>
                </div>
                <div class="app-column app-column-results">
                <Panel id="job" title="Status and result" class="panel-job">
                    <BlockedHostNotice/>
                    {move || connection_problem.get().map(|problem| view! {
                        <p class="job-trouble" role="alert">{problem}</p>
                    })}
                    {move || current_batch.get().map(|batch| {
                        on_demand_view(batch_results_view(batch), batch_results_missing)
                    })}
                    <div hidden=move || current_batch.with(Option::is_some)>
                        <JobPanel current=current_job actions/>
                    </div>
                </Panel>
                <p class="visually-hidden job-announcer" role="status">{announcement}</p>
                {(!embedded).then(|| view! {
                    <Panel id="history" title="History" class="panel-history">
                        <HistoryPanel actions/>
                    </Panel>
                })}
                </div>
            </main>
            {(!embedded).then(|| view! { <Footer/> })}
        </div>
    }
}

/// In one column (style/app.css) the status panel sits below the long form:
/// bring it into view when a job starts, so the person sees the queue
/// position at once.
fn reveal_job_panel() {
    let narrow = window()
        .match_media("(max-width: 960px)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    if let (true, Some(panel)) = (narrow, document().get_element_by_id("job")) {
        panel.scroll_into_view();
    }
}

/// The first Generate should not wait for the code that runs jobs (a
/// fetch and a compile of its part while the person has just pressed the
/// button: the first upload call left 40 ms after the click instead of
/// 11): it is fetched at an idle moment once the prompt has words. A first
/// visit that writes nothing fetches nothing more.
fn fetch_job_code_once_writing(form: FormHandle) {
    let has_prompt = form.has_prompt();
    Effect::new(move |fetched: Option<bool>| {
        // Once asked for, the effect reads nothing and so never runs again.
        if fetched == Some(true) {
            return true;
        }
        let writing = has_prompt.get();
        if writing {
            idle::run_when_idle(job_runner::fetch_code);
        }
        writing
    });
}

/// Where "Batch results" would be, when its code did not arrive.
fn batch_results_missing() -> AnyView {
    unavailable_alert(
        "The batch\u{2019}s results did not load from the site (the connection failed). \
         Reload the page to try again; its runs are kept in the history.",
    )
}
