//! Jobs kept in this browser's `localStorage`, newest first, so a reload
//! or a closed tab never loses a job someone paid for.

use crate::core::job_record::JobRecord;

/// The storage key, versioned with the record format.
pub const STORAGE_KEY: &str = "wan-r2v-studio.jobs.v1";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Every stored job that can still be read, newest first.
pub fn load_all() -> Vec<JobRecord> {
    let Some(text) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) else {
        return Vec::new();
    };
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str(&text) else {
        return Vec::new();
    };
    items.into_iter().filter_map(JobRecord::from_json).collect()
}

/// Writes `record`, replacing the stored one with the same id. Returns false
/// when the browser refused (storage full or disabled), so the UI can warn
/// that a reload would lose the job.
pub fn save(record: &JobRecord) -> bool {
    let mut all = load_all();
    match all.iter_mut().find(|r| r.id == record.id) {
        Some(existing) => *existing = record.clone(),
        None => all.insert(0, record.clone()),
    }
    write(&all)
}

fn write(all: &[JobRecord]) -> bool {
    let Ok(text) = serde_json::to_string(all) else {
        return false;
    };
    storage().is_some_and(|s| s.set_item(STORAGE_KEY, &text).is_ok())
}
