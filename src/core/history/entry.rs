//! How one history entry is put into words: its status, prompt excerpt,
//! cost, and the plain sentence for a job that did not end with a video
//! (above all one whose result fal deleted before the studio could fetch it).

use crate::core::job::record::{JobRecord, RecordStatus, RESULT_RETENTION_MS};
use crate::core::job::result_info::{download_file_name, playable_url};
use crate::core::model::pricing::format_usd;

/// The short status shown on the entry.
pub fn status_label(record: &JobRecord) -> &'static str {
    if record.not_followed {
        return "Not followed";
    }
    match record.status {
        RecordStatus::Submitting if record.request.is_none() => "Sending interrupted",
        RecordStatus::Submitting => "Sent",
        RecordStatus::Queued => "In queue",
        RecordStatus::Running => "Generating",
        RecordStatus::Completed if record.output.is_some() => "Done",
        RecordStatus::Completed => "Fetching result",
        RecordStatus::Failed => "Failed",
        RecordStatus::Cancelled => "Cancelled",
        RecordStatus::Expired => "Result expired",
    }
}

/// A CSS-friendly tone for the status badge.
pub fn status_tone(record: &JobRecord) -> &'static str {
    match record.status {
        RecordStatus::Completed if record.output.is_some() => "done",
        RecordStatus::Failed | RecordStatus::Expired => "failed",
        RecordStatus::Cancelled => "cancelled",
        RecordStatus::Submitting if record.request.is_none() => "failed",
        _ => "live",
    }
}

/// The prompt cut to `max_chars` characters at a word boundary when one
/// is near, with "…" when something was cut. Line breaks become spaces.
pub fn prompt_excerpt(prompt: &str, max_chars: usize) -> String {
    let flat: String = prompt.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return "(no prompt)".into();
    }
    if flat.chars().count() <= max_chars {
        return flat;
    }
    let cut: String = flat.chars().take(max_chars).collect();
    let ends_a_word = flat
        .chars()
        .nth(max_chars)
        .is_some_and(|next| !next.is_alphanumeric());
    let cut = match cut.rfind(' ') {
        Some(space) if !ends_a_word && space >= cut.len() * 2 / 3 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':', ' ']))
}

/// The estimate shown when the job was sent: "$0.50", or "at least $0.50"
/// when a reference video's length was unknown.
pub fn cost_text(record: &JobRecord) -> String {
    let amount = format_usd(record.cost.cents);
    if record.cost.complete {
        amount
    } else {
        format!("at least {amount}")
    }
}

/// The entry's video, only if it is a web URL.
pub fn video_url(record: &JobRecord) -> Option<&str> {
    record.output.as_ref().and_then(playable_url)
}

/// The sentence explaining a job without a video, with fal's request id
/// where there is one (to quote to fal support). `None` for jobs that
/// succeeded or are still on their way in time.
pub fn outcome_note(record: &JobRecord, now_ms: u64) -> Option<String> {
    let request_id = record.request.as_ref().map(|r| r.request_id.as_str());
    if record.not_followed {
        return Some(format!(
            "The history holds more unfinished jobs than it follows at once ({}), so the studio \
             is not asking fal about this one. Press “Check again” to follow it. fal request id {}.",
            crate::core::history::records::HISTORY_CAP,
            request_id.unwrap_or("unknown")
        ));
    }
    if record.is_unfinished() && record.result_probably_expired(now_ms) {
        return Some(format!(
            "This job finished more than {} ago and fal has most likely deleted its result; \
             the studio is checking anyway. fal request id {}.",
            retention_text(),
            request_id.unwrap_or("unknown")
        ));
    }
    match record.status {
        RecordStatus::Expired => Some(match request_id {
            Some(id) => format!(
                "fal no longer has this result: it keeps a finished video's result for {} \
                 after the run, and the studio could not fetch it in time. fal request id {id}.",
                retention_text()
            ),
            None => "fal no longer has this result.".into(),
        }),
        RecordStatus::Submitting if request_id.is_none() => Some(
            "The page closed while the job was being sent, so fal may have received it. \
             Check your requests on fal's dashboard before generating again, so you are not \
             billed twice."
                .into(),
        ),
        RecordStatus::Failed => {
            let message = record
                .error
                .clone()
                .unwrap_or_else(|| "The job did not produce a video.".into());
            Some(match request_id {
                Some(id) if !message.contains(id) => format!("{message} fal request id {id}."),
                _ => message,
            })
        }
        RecordStatus::Cancelled => Some(if record.request.is_some() {
            "Cancelled. If it had started running, fal may bill the time it ran.".into()
        } else {
            "Cancelled before it reached fal's queue. Nothing was billed.".into()
        }),
        _ => None,
    }
}

fn retention_text() -> String {
    match RESULT_RETENTION_MS / 60_000 {
        60 => "an hour".into(),
        minutes => format!("{minutes} minutes"),
    }
}

/// The entry's list key: it changes whenever the entry must show something
/// else (status, video, request, error), so the panel builds a new entry
/// then instead of rebuilding one in place.
pub fn display_key(record: &JobRecord) -> String {
    format!(
        "{}|{:?}|{}|{}|{}",
        record.id,
        record.status,
        record.output.is_some(),
        record.request.is_some(),
        record.error.as_deref().unwrap_or_default()
    )
}

/// The id of the entry's title element, which names the entry. Ids are
/// `job-<ms>-<n>`; anything else is made safe for an element id.
pub fn title_element_id(record: &JobRecord) -> String {
    let safe: String = record
        .id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("history-{safe}-title")
}

/// fal's request id, to quote to fal support, on an entry that did not
/// end with a video and whose `note` (from [`outcome_note`]) does not
/// quote it already.
pub fn request_id_line(record: &JobRecord, note: Option<&str>) -> Option<String> {
    let request = record.request.as_ref()?;
    let id = request.request_id.as_str();
    (record.status != RecordStatus::Completed && !note.is_some_and(|n| n.contains(id)))
        .then(|| id.to_owned())
}

/// The download name of the entry's video (see `download_file_name`).
pub fn video_file_name(record: &JobRecord) -> String {
    record.output.as_ref().map_or_else(String::new, |output| {
        download_file_name(
            output,
            record
                .request
                .as_ref()
                .map_or("", |r| r.request_id.as_str()),
        )
    })
}

/// Whether the entry can be watched side by side with others.
pub fn can_compare(record: &JobRecord) -> bool {
    video_url(record).is_some()
}

#[cfg(test)]
#[path = "entry_tests.rs"]
mod tests;
