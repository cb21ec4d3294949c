//! The History panel's list and comparison choice: paging with "Show more",
//! unticking and deleting compared runs, the request id an entry quotes,
//! and a batch's entry following its runs.
//! Fixtures and helpers: history.rs.

use wan_r2v_studio::core::batch::batch_id::{BatchId, BatchRun};
use wan_r2v_studio::core::job::record::RecordStatus;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

use super::form_support::{input, press, settle, wait_until};
use super::history::{entries, entry, mounted_history, record, seed, shown, text};

/// The panel over a history of `(number, title, status)` jobs, newest
/// first, and the handle that keeps it mounted.
async fn panel_over(
    key: &'static str,
    jobs: &[(u64, &str, RecordStatus)],
) -> (HtmlElement, Box<dyn std::any::Any>) {
    let records: Vec<_> = jobs
        .iter()
        .map(|&(n, title, status)| record(n, title, status))
        .collect();
    seed(key, &records);
    let (host, _, handle) = mounted_history(key).await;
    (host, handle)
}

#[wasm_bindgen_test]
async fn the_list_shows_twenty_entries_then_more_on_request() {
    const KEY: &str = "test.history.paging";
    let records: Vec<_> = (1..=23)
        .rev()
        .map(|n| record(n, &format!("Job {n:02}"), RecordStatus::Completed))
        .collect();
    seed(KEY, &records);
    let (host, _, _handle) = mounted_history(KEY).await;
    assert_eq!(entries(&host).len(), 20);
    assert!(text(&host).contains("23 jobs"));
    assert!(shown(&host, "Show more (3 more)"));
    press(&host, "Show more (3 more)");
    wait_until("every entry shows", || entries(&host).len() == 23).await;
    entry(&host, "Job 01");
    assert!(!text(&host).contains("Show more"), "{}", text(&host));
}

#[wasm_bindgen_test]
async fn unticking_a_compared_run_closes_the_comparison() {
    let (host, _handle) = panel_over(
        "test.history.untick",
        &[
            (2, "Run B", RecordStatus::Completed),
            (1, "Run A", RecordStatus::Completed),
        ],
    )
    .await;
    input(&entry(&host, "Run A"), "Compare").click();
    input(&entry(&host, "Run B"), "Compare").click();
    settle().await;
    assert!(text(&host).contains("2 runs chosen"));
    press(&host, "Compare selected");
    settle().await;
    assert!(host.query_selector(".compare").unwrap().is_some());

    input(&entry(&host, "Run B"), "Compare").click();
    settle().await;
    assert!(host.query_selector(".compare").unwrap().is_none());
    assert!(!shown(&host, "Compare selected"));
    // Ticking it again offers the comparison, but does not open it unasked.
    input(&entry(&host, "Run B"), "Compare").click();
    settle().await;
    assert!(shown(&host, "Compare selected"));
    assert!(host.query_selector(".compare").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_deleted_run_leaves_the_comparison_choice() {
    let (host, _handle) = panel_over(
        "test.history.delete-compared",
        &[
            (3, "Run C", RecordStatus::Completed),
            (2, "Run B", RecordStatus::Completed),
            (1, "Run A", RecordStatus::Completed),
        ],
    )
    .await;
    for title in ["Run A", "Run B", "Run C"] {
        input(&entry(&host, title), "Compare").click();
    }
    settle().await;
    assert!(text(&host).contains("3 runs chosen"));
    press(&entry(&host, "Run C"), "Delete");
    settle().await;
    press(&entry(&host, "Run C"), "Delete it");
    wait_until("the entry is gone", || entries(&host).len() == 2).await;
    assert!(text(&host).contains("2 runs chosen"), "{}", text(&host));
    press(&host, "Compare selected");
    settle().await;
    let compare = host.query_selector(".compare").unwrap().unwrap();
    assert_eq!(compare.query_selector_all("video").unwrap().length(), 2);
    assert!(compare.text_content().unwrap().contains("Comparing 2 runs"));
}

#[wasm_bindgen_test]
async fn an_entry_quotes_the_request_id_once_and_only_without_a_video() {
    let (host, _handle) = panel_over(
        "test.history.request-id",
        &[
            (3, "Waiting", RecordStatus::Queued),
            (2, "Broke", RecordStatus::Failed),
            (1, "Finished", RecordStatus::Completed),
        ],
    )
    .await;
    let line = |title: &str| {
        entry(&host, title)
            .query_selector(".history-request-id")
            .unwrap()
            .map(|p| p.text_content().unwrap())
    };
    assert_eq!(line("Waiting").as_deref(), Some("fal request id req-3"));
    // The failure's note quotes it already.
    assert_eq!(line("Broke"), None);
    assert_eq!(text(&entry(&host, "Broke")).matches("req-2").count(), 1);
    assert_eq!(line("Finished"), None);
}

/// A batch's entry follows its runs instead of being rebuilt: when one run
/// moves on (here written by another tab), the entry and the entries of
/// the runs that did not move stay the same elements, and what changed
/// shows. (Rebuilding the batch for every run's change was most of the
/// task in which a run finished: docs/performance.md.)
#[wasm_bindgen_test]
async fn a_batch_entry_stays_while_its_runs_move_on() {
    const KEY: &str = "test.history.batch-follows";
    let id = BatchId::parse("b-00000000000000aa").unwrap();
    let run = |index: usize, status| {
        let mut r = record(index as u64 + 1, &format!("Swept {index}"), status);
        r.batch = Some(BatchRun {
            batch_id: id.clone(),
            index,
            total: 3,
            caption: format!("Seed {index}"),
        });
        r
    };
    use RecordStatus::{Completed, Running};
    seed(KEY, &[run(2, Running), run(1, Running), run(0, Running)]);
    let (host, _, _handle) = mounted_history(KEY).await;
    let batch: HtmlElement = host
        .query_selector("article.history-batch")
        .unwrap()
        .expect("one entry for the batch")
        .unchecked_into();
    assert!(
        text(&batch).contains("Batch of 3 runs: 3 generating"),
        "{}",
        text(&batch)
    );
    // The runs are built when their list is opened, not before.
    let list = || batch.query_selector_all(".history-item").unwrap().length();
    assert_eq!(list(), 0, "a closed list of runs builds none");
    let runs: web_sys::HtmlDetailsElement = batch
        .query_selector("details.history-batch-runs")
        .unwrap()
        .expect("the batch's list of runs")
        .unchecked_into();
    runs.set_open(true);
    wait_until("the opened list shows the runs", || list() == 3).await;
    let unmoved = entry(&batch, "Swept 2");

    seed(KEY, &[run(2, Running), run(1, Running), run(0, Completed)]);
    let event = web_sys::StorageEvent::new("storage").unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
    wait_until("the batch says a run is done", || {
        text(&batch).contains("Batch of 3 runs: 1 done, 2 generating")
    })
    .await;
    assert!(batch.is_connected(), "the batch's entry was rebuilt");
    assert!(
        unmoved.is_connected(),
        "a run that did not move was rebuilt"
    );
    let finished = entry(&batch, "Swept 0").text_content().unwrap_or_default();
    assert!(finished.contains("Done"), "{finished}");
    assert_eq!(
        batch.query_selector_all(".history-item").unwrap().length(),
        3
    );
}
