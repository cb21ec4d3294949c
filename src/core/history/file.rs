//! "Export history" and "Import history": the history as a JSON file a
//! person can keep, move to another browser, and bring back.
//!
//! The file holds job records and nothing else: the fal key is never in a
//! record, and import rebuilds each record from the fields it knows, so a
//! file cannot smuggle anything else into storage.
//!
//! ```json
//! {"format": "wan-r2v-studio history", "version": 1,
//!  "exported_at_ms": 1795513909000, "jobs": [ …job records… ]}
//! ```

use serde_json::{json, Value};

use crate::core::history::records::{read_record, History, RecordProblem, HISTORY_CAP};
use crate::core::job::record::JobRecord;

/// Names the file's kind, so a stray JSON file is refused clearly.
pub const EXPORT_FORMAT: &str = "wan-r2v-studio history";
/// The file layout this studio writes and reads.
pub const EXPORT_VERSION: u64 = 1;
/// Larger files are refused before reading: 200 records are at most ~1 MB.
pub const IMPORT_MAX_BYTES: u64 = 20_000_000;

/// The export file's text (compact JSON: a pretty printer would add its own
/// copy of the serialiser to the wasm, for a file people rarely read).
/// Unread records (from a newer studio) are exported as they are.
pub fn export_json(history: &History, exported_at_ms: u64) -> String {
    let mut jobs: Vec<Value> = history
        .records()
        .iter()
        .map(|r| serde_json::to_value(r).expect("a job record always serialises"))
        .collect();
    jobs.extend(history.unread().iter().cloned());
    let file = json!({
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at_ms": exported_at_ms,
        "jobs": jobs,
    });
    file.to_string()
}

/// "wan-r2v-history-2026-11-24.json" (UTC date of the export).
pub fn export_file_name(exported_at_ms: u64) -> String {
    let (y, m, d) = civil_date(exported_at_ms / 86_400_000);
    format!("wan-r2v-history-{y:04}-{m:02}-{d:02}.json")
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_date(days: u64) -> (u64, u64, u64) {
    // Howard Hinnant's civil_from_days, for non-negative day counts.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// Why a file cannot be imported at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    TooLarge,
    NotJson,
    NotAnExport,
    NewerFormat(u64),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::TooLarge => write!(
                f,
                "This file is larger than {} MB, far more than a history export; choose the \
                 file “Export history” saved.",
                IMPORT_MAX_BYTES / 1_000_000
            ),
            ImportError::NotJson => f.write_str(
                "This file is not JSON, so it is not a history export; choose the file \
                 “Export history” saved.",
            ),
            ImportError::NotAnExport => f.write_str(
                "This JSON file is not a wan-r2v studio history export (it has no “jobs” list).",
            ),
            ImportError::NewerFormat(version) => write!(
                f,
                "This export was made by a newer version of the studio (file format {version}; \
                 this one reads up to {EXPORT_VERSION}). Update the studio, then import it."
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// A file read for import: the jobs it holds, and the ones it could not use.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFile {
    pub records: Vec<JobRecord>,
    /// Records from a newer studio: kept as they are, like in storage.
    pub newer: Vec<Value>,
    /// Position in the file (from 1) and why, for each record left out.
    pub refused: Vec<(usize, RecordProblem)>,
}

impl ImportedFile {
    /// The import's outcome in words, once merged.
    pub fn summary(&self, report: &crate::core::history::records::MergeReport) -> String {
        let mut parts = vec![match report.added {
            1 => "Imported 1 job".to_string(),
            n => format!("Imported {n} jobs"),
        }];
        if report.updated > 0 {
            parts.push(format!("updated {}", report.updated));
        }
        if report.unchanged > 0 {
            parts.push(format!("{} already here", report.unchanged));
        }
        let mut text = parts.join(", ") + ".";
        let newer_kept = self.newer.len().saturating_sub(report.newer_no_room);
        if newer_kept > 0 {
            text.push_str(&format!(
                " {newer_kept} from a newer version of the studio are kept read-only."
            ));
        }
        if report.newer_no_room > 0 {
            text.push_str(&format!(
                " {} from a newer version of the studio were left out: the history is full \
                 ({HISTORY_CAP} jobs).",
                report.newer_no_room
            ));
        }
        if report.unfollowed > 0 {
            text.push_str(&format!(
                " {} unfinished jobs beyond the history's limit are kept but not followed; \
                 “Check again” follows one.",
                report.unfollowed
            ));
        }
        if report.evicted > 0 {
            text.push_str(&format!(
                " The {} oldest finished jobs were removed to stay within the history's limit.",
                report.evicted
            ));
        }
        for (position, problem) in &self.refused {
            text.push_str(&format!(
                " Job {position} was left out: {}.",
                problem.describe()
            ));
        }
        text
    }
}

/// Checked with the file's size before the file is read at all: a
/// gigabyte chosen by mistake must not be read into memory.
pub fn check_import_size(byte_len: u64) -> Result<(), ImportError> {
    if byte_len > IMPORT_MAX_BYTES {
        return Err(ImportError::TooLarge);
    }
    Ok(())
}

/// About what a browser lets one site keep in `localStorage` (5 MB; the
/// browser counts characters). A merged history larger than this is
/// refused before the browser is asked.
pub const STORAGE_BUDGET_CHARS: usize = 5_000_000;

/// An import whose merged history would not fit in storage: refused whole,
/// with the numbers. `refused_by_browser` when the size looked fine but the
/// browser said no (other data of this site takes the room).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WouldNotFit {
    pub needed_chars: usize,
    pub stored_chars: usize,
    pub refused_by_browser: bool,
}

impl WouldNotFit {
    /// `None` when a history of `needed_chars` may be tried.
    pub fn check(needed_chars: usize, stored_chars: usize) -> Option<Self> {
        (needed_chars > STORAGE_BUDGET_CHARS).then_some(Self {
            needed_chars,
            stored_chars,
            refused_by_browser: false,
        })
    }
}

impl std::fmt::Display for WouldNotFit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kb = |chars: usize| chars.div_ceil(1000);
        write!(
            f,
            "Nothing was imported: with this file the history would take {} KB, ",
            kb(self.needed_chars)
        )?;
        if self.refused_by_browser {
            f.write_str("and this browser refused to store that much for this site")?;
        } else {
            write!(
                f,
                "more than the {} KB a browser keeps for a site",
                kb(STORAGE_BUDGET_CHARS)
            )?;
        }
        write!(
            f,
            " (it takes {} KB now). Delete some jobs, or import a smaller file.",
            kb(self.stored_chars)
        )
    }
}

/// Reads an export file (or a bare list of records, as stored). `byte_len`
/// is the file's size, checked again here.
pub fn read_export(text: &str, byte_len: u64) -> Result<ImportedFile, ImportError> {
    check_import_size(byte_len.max(text.len() as u64))?;
    let value: Value = serde_json::from_str(text).map_err(|_| ImportError::NotJson)?;
    let jobs = match value {
        Value::Array(jobs) => jobs,
        Value::Object(mut file) => {
            if let Some(version) = file.get("version").and_then(Value::as_u64) {
                if version > EXPORT_VERSION {
                    return Err(ImportError::NewerFormat(version));
                }
            }
            let format_ok = file.get("format").and_then(Value::as_str) == Some(EXPORT_FORMAT);
            match file.remove("jobs") {
                Some(Value::Array(jobs)) if format_ok => jobs,
                _ => return Err(ImportError::NotAnExport),
            }
        }
        _ => return Err(ImportError::NotAnExport),
    };
    let mut imported = ImportedFile {
        records: Vec::new(),
        newer: Vec::new(),
        refused: Vec::new(),
    };
    for (index, job) in jobs.into_iter().enumerate() {
        match read_record(job.clone()) {
            Ok(record) => imported.records.push(record),
            Err(RecordProblem::Newer { .. }) => imported.newer.push(job),
            Err(problem) => imported.refused.push((index + 1, problem)),
        }
    }
    Ok(imported)
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "import_limits_tests.rs"]
mod import_limits_tests;
