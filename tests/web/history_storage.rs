//! The history's storage in the browser: every change written through, the
//! cap, refused writes reported, an unreadable history set aside, and records
//! from a newer studio kept through every write.

use leptos::prelude::*;
use serde_json::json;
use wan_r2v_studio::{
    core::{history::records::HISTORY_CAP, job::record::RecordStatus},
    ui::history::store::HistoryStore,
};
use wasm_bindgen_test::*;

use super::form_support::{local_storage, press, settle, wait_until};
use super::history::{entries, entry, mounted_history, record, stored, stored_ids, text};
use super::mount;

/// A store over an empty history under `key`, made inside a mounted owner
/// (its signals need one), and the handle that keeps it alive.
async fn empty_store(key: &'static str) -> (HistoryStore, Box<dyn std::any::Any>) {
    local_storage().remove_item(key).unwrap();
    let store = RwSignal::new(None::<HistoryStore>);
    let (_host, handle) = mount(move || {
        store.set(Some(HistoryStore::with_key(key)));
    });
    settle().await;
    (store.get_untracked().unwrap(), Box::new(handle))
}

#[wasm_bindgen_test]
async fn records_from_a_newer_studio_survive_every_write() {
    const KEY: &str = "test.history.newer";
    let mut list = serde_json::to_value(vec![
        record(1, "Mine", RecordStatus::Completed),
        record(2, "Also mine", RecordStatus::Cancelled),
    ])
    .unwrap();
    let future = json!({"version": 42, "id": "from-the-future", "whatever": [1, 2]});
    list.as_array_mut().unwrap().push(future.clone());
    local_storage().set_item(KEY, &list.to_string()).unwrap();
    let (host, _, _handle) = mounted_history(KEY).await;
    assert_eq!(entries(&host).len(), 2);
    press(&entry(&host, "Also mine"), "Delete");
    settle().await;
    press(&entry(&host, "Also mine"), "Delete it");
    wait_until("the entry is gone", || entries(&host).len() == 1).await;
    let after = stored(KEY);
    assert_eq!(after.as_array().unwrap().len(), 2);
    assert_eq!(after[1], future);
}

#[wasm_bindgen_test]
async fn an_unreadable_history_is_set_aside_and_said_so() {
    const KEY: &str = "test.history.unreadable";
    local_storage().set_item(KEY, "{not a list").unwrap();
    let (host, _, _handle) = mounted_history(KEY).await;
    let said = text(&host);
    assert!(
        said.contains("The stored history could not be read"),
        "{said}"
    );
    let storage = local_storage();
    let backup = (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .find(|k| k.starts_with(&format!("{KEY}.unreadable-")))
        .expect("a backup key");
    assert_eq!(storage.get_item(&backup).unwrap().unwrap(), "{not a list");
    assert!(said.contains(&backup));
    storage.remove_item(&backup).unwrap();
}

#[wasm_bindgen_test]
async fn the_store_writes_each_change_through_and_evicts_past_the_cap() {
    const KEY: &str = "test.history.store";
    let (store, _handle) = empty_store(KEY).await;
    let mut queued = record(0, "Oldest, still queued", RecordStatus::Queued);
    queued.created_at_ms = 1;
    store.save(&queued);
    for n in 1..=HISTORY_CAP as u64 {
        store.save(&record(n, "Finished", RecordStatus::Cancelled));
    }
    settle().await;
    let ids = stored_ids(KEY);
    assert_eq!(ids.len(), HISTORY_CAP);
    assert!(
        ids.contains(&"job-0".to_string()),
        "the unfinished job stays"
    );
    assert!(
        !ids.contains(&"job-1".to_string()),
        "the oldest finished job went"
    );
    assert!(!store.refused.get_untracked());
    local_storage().remove_item(KEY).unwrap();
}

#[wasm_bindgen_test]
async fn a_refused_write_is_reported() {
    const KEY: &str = "test.history.full";
    let (store, _handle) = empty_store(KEY).await;
    // Fill this site's storage so the next write cannot fit: big pieces,
    // then smaller ones until not even a kilobyte fits.
    let mut fillers = Vec::new();
    for size in [1 << 20, 1 << 16, 1 << 10] {
        let filler = "x".repeat(size);
        loop {
            let key = format!("test.history.filler-{}", fillers.len());
            if local_storage().set_item(&key, &filler).is_err() {
                break;
            }
            fillers.push(key);
        }
    }
    store.save(&record(1, &"p".repeat(4000), RecordStatus::Queued));
    settle().await;
    let refused = store.refused.get_untracked();
    for key in fillers {
        local_storage().remove_item(&key).unwrap();
    }
    local_storage().remove_item(KEY).unwrap();
    assert!(refused, "the store says the browser refused the write");
}

/// Fills this site's storage until not even a kilobyte fits; returns the
/// keys to remove afterwards.
fn fill_storage() -> Vec<String> {
    let mut fillers = Vec::new();
    for size in [1 << 20, 1 << 16, 1 << 10, 1 << 6] {
        let filler = "x".repeat(size);
        loop {
            let key = format!("test.history.filler-{}", fillers.len());
            if local_storage().set_item(&key, &filler).is_err() {
                break;
            }
            fillers.push(key);
        }
    }
    fillers
}

#[wasm_bindgen_test]
async fn an_unreadable_history_that_cannot_be_copied_aside_is_left_untouched() {
    const KEY: &str = "test.history.stuck";
    // Large enough that no copy of it fits once storage is full.
    let unreadable = format!("{{not a list {}", "y".repeat(200_000));
    local_storage().set_item(KEY, &unreadable).unwrap();
    let fillers = fill_storage();
    let (store, _handle) = empty_store_keeping(KEY).await;
    let notice = store.notice.get_untracked().unwrap_or_default();
    // Writing a small list over the large value would fit: it must not happen.
    store.save(&record(1, "A job after the trouble", RecordStatus::Queued));
    settle().await;
    let kept = local_storage().get_item(KEY).unwrap();
    let refused = store.refused.get_untracked();
    for key in &fillers {
        local_storage().remove_item(key).unwrap();
    }
    local_storage().remove_item(KEY).unwrap();
    assert!(
        notice.contains("refused to keep a copy of it") && notice.contains("left untouched"),
        "{notice}"
    );
    assert_eq!(kept.as_deref(), Some(unreadable.as_str()));
    assert!(refused, "the job is said not to be stored");
}

/// Like [`empty_store`], over what storage holds under `key` now.
async fn empty_store_keeping(key: &'static str) -> (HistoryStore, Box<dyn std::any::Any>) {
    let store = RwSignal::new(None::<HistoryStore>);
    let (_host, handle) = mount(move || {
        store.set(Some(HistoryStore::with_key(key)));
    });
    settle().await;
    (store.get_untracked().unwrap(), Box::new(handle))
}

#[wasm_bindgen_test]
async fn a_write_lands_on_what_storage_holds_now() {
    const KEY: &str = "test.history.merge";
    let (store, _handle) = empty_store(KEY).await;
    store.save(&record(1, "Mine", RecordStatus::Completed));
    // Another tab wrote, and its storage event has not arrived.
    let mut list = stored(KEY);
    list.as_array_mut()
        .unwrap()
        .push(serde_json::to_value(record(2, "Another tab's", RecordStatus::Cancelled)).unwrap());
    local_storage().set_item(KEY, &list.to_string()).unwrap();
    store.save(&record(3, "Mine again", RecordStatus::Queued));
    let ids = stored_ids(KEY);
    local_storage().remove_item(KEY).unwrap();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(ids.contains(&"job-2".to_string()));
}
