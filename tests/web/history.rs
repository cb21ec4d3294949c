//! The History panel mounted in headless Chromium: entries, delete, clear
//! all, import, rerun and the comparison. Each test keeps its history under
//! its own key. Storage: history_storage.rs; share links: share_link.rs.

use leptos::prelude::*;
use serde_json::json;
use wan_r2v_studio::{
    core::{
        config::runtime::AppConfig,
        job::record::{JobRecord, RecordStatus},
        job::test_support::RecordBuilder,
        model::schema::{AspectRatio, R2vInput},
    },
    ui::history::store::HistoryStore,
    ui::{
        connection::ConnectionContext,
        history::{CompareView, HistoryPanel, LiveJobs},
        job::JobActions,
    },
    web::local_time::date_time_options,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

use super::form_support::{
    change, control, has_control, input, local_storage, press, settle, transfer_of, wait_until,
};
use super::mount;

pub const T0: u64 = 1_795_513_909_000;

/// Nothing on the internet: a closed port on this machine.
pub const VIDEO: &str = "http://127.0.0.1:9/files/output.mp4";

pub fn record(n: u64, prompt: &str, status: RecordStatus) -> JobRecord {
    let r = RecordBuilder::new(format!("job-{n}"), T0 + n * 60_000)
        .prompt(prompt)
        .status(status)
        // Not a real queue: any call to it fails at once, never reaching the internet.
        .request(
            "http://127.0.0.1:9/fal-ai/wan/requests",
            &format!("req-{n}"),
        );
    match status {
        RecordStatus::Completed => r
            .completed_at(T0 + n * 60_000 + 30_000)
            .output(VIDEO, 100 + n as i64),
        RecordStatus::Failed => r.error("fal had a server problem (HTTP 500)."),
        _ => r,
    }
    .build()
}

pub fn seed(key: &str, records: &[JobRecord]) {
    local_storage()
        .set_item(key, &serde_json::to_string(records).unwrap())
        .unwrap();
}

pub fn stored(key: &str) -> serde_json::Value {
    local_storage()
        .get_item(key)
        .unwrap()
        .map_or(json!([]), |t| serde_json::from_str(&t).unwrap())
}

pub fn stored_ids(key: &str) -> Vec<String> {
    stored(key)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap_or("?").to_string())
        .collect()
}

/// The History panel over the history under `key`, with no key entered
/// (so nothing is followed). `loaded` hears "Edit and rerun".
fn history_panel(key: &'static str, loaded: RwSignal<Option<R2vInput>>) -> impl IntoView {
    provide_context(ConnectionContext::new(AppConfig::default()));
    provide_context(LiveJobs::new(HistoryStore::with_key(key)));
    let actions = JobActions {
        reuse_seed: Callback::new(|_| {}),
        edit_and_rerun: Callback::new(move |input| loaded.set(Some(input))),
        show_problems: Callback::new(|_| {}),
    };
    view! { <HistoryPanel actions/> }
}

/// The mounted panel, what "Edit and rerun" handed over, and the handle
/// that unmounts it when dropped.
pub async fn mounted_history(
    key: &'static str,
) -> (
    HtmlElement,
    RwSignal<Option<R2vInput>>,
    Box<dyn std::any::Any>,
) {
    let loaded = RwSignal::new(None);
    let (host, handle) = mount(move || history_panel(key, loaded));
    settle().await;
    (host, loaded, Box::new(handle))
}

pub fn entries(host: &HtmlElement) -> Vec<HtmlElement> {
    let list = host.query_selector_all(".history-item").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into())
        .collect()
}

pub fn entry(host: &HtmlElement, title: &str) -> HtmlElement {
    entries(host)
        .into_iter()
        .find(|e| {
            e.query_selector(".history-item-title")
                .unwrap()
                .and_then(|t| t.text_content())
                .is_some_and(|t| t.contains(title))
        })
        .unwrap_or_else(|| panic!("no entry titled {title}: {}", host.inner_html()))
}

/// True when a control named `name` is in `host` and not inside anything
/// hidden (parts are shown and hidden, not added and removed).
pub fn shown(host: &HtmlElement, name: &str) -> bool {
    has_control(host, name) && control(host, name).closest("[hidden]").unwrap().is_none()
}

/// What is on screen: hidden parts (a confirmation not asked for yet) are
/// left out, as the browser's `innerText` does.
pub fn text(element: &HtmlElement) -> String {
    element.inner_text()
}

#[wasm_bindgen_test]
async fn every_job_shows_its_status_cost_and_what_became_of_it() {
    const KEY: &str = "test.history.list";
    let mut expired = record(3, "Too late", RecordStatus::Expired);
    expired.error = Some("gone".into());
    seed(
        KEY,
        &[
            record(1, "A koala surfs", RecordStatus::Completed),
            record(2, "A storm", RecordStatus::Failed),
            expired,
            record(4, "Still queued", RecordStatus::Queued),
        ],
    );
    let (host, _, _handle) = mounted_history(KEY).await;
    let titles: Vec<String> = entries(&host)
        .iter()
        .map(|e| text(&e.query_selector("h3").unwrap().unwrap().unchecked_into()))
        .collect();
    assert_eq!(
        titles,
        ["Still queued", "Too late", "A storm", "A koala surfs"]
    );
    assert!(text(&host).contains("4 jobs"));

    let done = entry(&host, "A koala surfs");
    assert!(text(&done).contains("Done"));
    assert!(text(&done).contains("$0.50"));
    let thumb = done.query_selector("video.history-thumb").unwrap().unwrap();
    assert_eq!(thumb.get_attribute("preload").as_deref(), Some("metadata"));
    assert_eq!(
        thumb.get_attribute("src").unwrap(),
        format!("{VIDEO}#t=0.1")
    );
    // When it was made, in the browser's own words, as `toLocaleString`
    // writes it with the same options (the panel keeps one formatter).
    let when: HtmlElement = done
        .query_selector("time[datetime]")
        .unwrap()
        .expect("the entry's date")
        .unchecked_into();
    let made = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64((T0 + 60_000) as f64));
    assert_eq!(
        when.get_attribute("datetime"),
        Some(String::from(made.to_iso_string()))
    );
    let expected = String::from(made.to_locale_string("default", &date_time_options()));
    assert!(!expected.is_empty());
    assert_eq!(text(&when), expected);
    for name in ["Open", "Edit and rerun", "Compare", "Delete", "Keep a copy"] {
        assert!(has_control(&done, name), "{name} on a finished job");
    }

    let too_late = text(&entry(&host, "Too late"));
    assert!(too_late.contains("Result expired"), "{too_late}");
    assert!(
        too_late.contains("fal no longer has this result")
            && too_late.contains("fal request id req-3"),
        "{too_late}"
    );

    let failed = entry(&host, "A storm");
    assert!(text(&failed).contains("fal had a server problem (HTTP 500). fal request id req-2."));
    assert!(has_control(&failed, "Check again"));
    assert!(!has_control(&failed, "Compare"), "no video to compare");

    // A job still on its way cannot be deleted: its record is the only way
    // to fetch its result.
    let queued = entry(&host, "Still queued");
    assert!(text(&queued).contains("In queue"));
    assert!(!has_control(&queued, "Delete"));
    assert!(has_control(&queued, "Open"));
}

#[wasm_bindgen_test]
async fn delete_asks_first_then_removes_the_job_from_storage() {
    const KEY: &str = "test.history.delete";
    seed(
        KEY,
        &[
            record(1, "Keep me", RecordStatus::Completed),
            record(2, "Delete me", RecordStatus::Cancelled),
        ],
    );
    let (host, _, _handle) = mounted_history(KEY).await;
    let doomed = entry(&host, "Delete me");
    assert!(!text(&doomed).contains("Delete this job from the history?"));
    press(&doomed, "Delete");
    settle().await;
    assert!(text(&doomed).contains("Delete this job from the history?"));
    press(&doomed, "Keep it");
    settle().await;
    // Both still stored, in whatever order storage holds them (the store
    // no longer rewrites the list just because the panel opened).
    let mut kept = stored_ids(KEY);
    kept.sort();
    assert_eq!(kept, ["job-1", "job-2"]);
    press(&entry(&host, "Delete me"), "Delete");
    settle().await;
    press(&entry(&host, "Delete me"), "Delete it");
    wait_until("the entry is gone", || entries(&host).len() == 1).await;
    assert_eq!(stored_ids(KEY), ["job-1"]);
    assert!(text(&host).contains("Deleted 1 job from the history."));
}

#[wasm_bindgen_test]
async fn clear_all_is_confirmed_and_keeps_the_jobs_still_running() {
    const KEY: &str = "test.history.clear";
    seed(
        KEY,
        &[
            record(1, "Old", RecordStatus::Completed),
            record(2, "Running", RecordStatus::Running),
            record(3, "Broken", RecordStatus::Failed),
        ],
    );
    let (host, _, _handle) = mounted_history(KEY).await;
    assert!(!text(&host).contains("Delete 2 finished jobs"));
    press(&host, "Clear all");
    settle().await;
    assert!(text(&host).contains(
        "Delete 2 finished jobs from this browser, with any kept copies of their videos? Jobs still running are kept."
    ));
    press(&host, "Delete them");
    wait_until("only the running job is left", || entries(&host).len() == 1).await;
    assert_eq!(stored_ids(KEY), ["job-2"]);
    assert!(text(&host).contains("Deleted 2 jobs. Jobs still running were kept."));
}

#[wasm_bindgen_test]
async fn import_merges_a_file_and_reports_what_it_did() {
    const KEY: &str = "test.history.import";
    seed(KEY, &[record(1, "Here already", RecordStatus::Completed)]);
    let (host, _, _handle) = mounted_history(KEY).await;
    let file_text = json!({
        "format": "wan-r2v-studio history",
        "version": 1,
        "jobs": [record(1, "Here already", RecordStatus::Completed), record(5, "From the file", RecordStatus::Completed)],
    })
    .to_string();
    let picker = input(&host, "Import history");
    let file = super::form_support::file("history.json", "application/json", file_text.as_bytes());
    picker.set_files(Some(&transfer_of(&[file]).files().unwrap()));
    change(&picker);
    wait_until("the import is reported", || {
        text(&host).contains("Imported 1 job, 1 already here.")
    })
    .await;
    assert_eq!(stored_ids(KEY), ["job-5", "job-1"]);
    entry(&host, "From the file");

    let junk = super::form_support::file("notes.json", "application/json", b"[1, 2");
    picker.set_files(Some(&transfer_of(&[junk]).files().unwrap()));
    change(&picker);
    wait_until("the refusal is shown", || {
        host.query_selector("[role=alert]")
            .unwrap()
            .is_some_and(|a| a.text_content().unwrap().contains("This file is not JSON"))
    })
    .await;
    assert_eq!(stored_ids(KEY), ["job-5", "job-1"]);
}

#[wasm_bindgen_test]
async fn edit_and_rerun_hands_the_same_inputs_to_the_form() {
    const KEY: &str = "test.history.rerun";
    let mut r = record(1, "Rerun me", RecordStatus::Completed);
    r.input.aspect_ratio = AspectRatio::Square1x1;
    r.input.seed = Some(77);
    seed(KEY, std::slice::from_ref(&r));
    let (host, loaded, _handle) = mounted_history(KEY).await;
    press(&entry(&host, "Rerun me"), "Edit and rerun");
    settle().await;
    assert_eq!(loaded.get_untracked(), Some(r.input));
}

#[wasm_bindgen_test]
async fn two_chosen_runs_open_side_by_side_with_the_inputs_that_differ() {
    const KEY: &str = "test.history.compare";
    let a = record(1, "Run A", RecordStatus::Completed);
    let mut b = record(2, "Run B", RecordStatus::Completed);
    b.input.aspect_ratio = AspectRatio::Portrait9x16;
    seed(KEY, &[b, a]);
    let (host, _, _handle) = mounted_history(KEY).await;
    assert!(!shown(&host, "Compare selected"), "needs two runs");
    input(&entry(&host, "Run A"), "Compare").click();
    settle().await;
    assert!(!shown(&host, "Compare selected"), "needs two runs");
    input(&entry(&host, "Run B"), "Compare").click();
    settle().await;
    assert!(shown(&host, "Compare selected"));
    press(&host, "Compare selected");
    settle().await;
    let compare: HtmlElement = host
        .query_selector(".compare")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(compare.query_selector_all("video").unwrap().length(), 2);
    let table = compare
        .query_selector("table")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(table.contains("Aspect ratio16:99:16"), "{table}");
    assert!(table.contains("Seed101 (random)102 (random)"), "{table}");
    assert!(!table.contains("Resolution"), "{table}");
    assert!(has_control(&compare, "Play"));
    assert_eq!(
        control(&compare, "Position")
            .get_attribute("type")
            .as_deref(),
        Some("range")
    );
    press(&compare, "Close comparison");
    settle().await;
    assert!(host.query_selector(".compare").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn two_comparisons_open_together_each_name_their_own_title() {
    // The History panel's comparison and a batch's can be open at once.
    let runs = || {
        vec![
            record(1, "Run A", RecordStatus::Completed),
            record(2, "Run B", RecordStatus::Completed),
        ]
    };
    let (host, _handle) = mount(move || {
        view! {
            <CompareView runs=runs() on_close=Callback::new(|()| {})/>
            <CompareView runs=runs() on_close=Callback::new(|()| {})/>
        }
    });
    settle().await;
    let sections = host.query_selector_all("section.compare").unwrap();
    assert_eq!(sections.length(), 2);
    let mut ids = Vec::new();
    for i in 0..sections.length() {
        let section: web_sys::Element = sections.item(i).unwrap().unchecked_into();
        let id = section.get_attribute("aria-labelledby").unwrap();
        let title = document().get_element_by_id(&id).unwrap();
        assert!(
            section.contains(Some(&title)),
            "{id} names another comparison's title"
        );
        assert_eq!(title.text_content().unwrap(), "Comparing 2 runs");
        ids.push(id);
    }
    assert_ne!(ids[0], ids[1]);
}
