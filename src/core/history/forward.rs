//! Which copy of one job's record wins when a write lands on a stored one.
//! Two tabs follow the same job and write its record independently; the
//! later write is not always the truer one (a tab that lost the race for
//! the result sees fal's 404 and would call a finished, paid video
//! "expired"). So a record's state only moves forward:
//! Submitting → Queued → Running → Completed / Failed / Cancelled / Expired,
//! and nothing without a video replaces a record that holds one.

use crate::core::job::record::{JobRecord, RecordStatus};

/// How far along the job is, for the forward-only rule.
fn stage(status: RecordStatus) -> u8 {
    match status {
        RecordStatus::Submitting => 0,
        RecordStatus::Queued => 1,
        RecordStatus::Running => 2,
        RecordStatus::Completed
        | RecordStatus::Failed
        | RecordStatus::Cancelled
        | RecordStatus::Expired => 3,
    }
}

/// True when `incoming` may replace `stored` (same job id).
///
/// A failure without a video is the one state a job leaves backwards: the
/// person's "Check again" follows it once more (fal may still have it).
pub fn supersedes(incoming: &JobRecord, stored: &JobRecord) -> bool {
    if stored.output.is_some() && incoming.output.is_none() {
        return false;
    }
    if stored.status == RecordStatus::Failed {
        return true;
    }
    stage(incoming.status) >= stage(stored.status)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::job::test_support::RecordBuilder;

    fn record(status: RecordStatus, video: bool) -> JobRecord {
        let r = RecordBuilder::new("job-1", 1).status(status);
        if video {
            r.output("https://v3b.fal.media/files/b/o.mp4", 1).build()
        } else {
            r.build()
        }
    }

    #[test]
    fn a_state_only_moves_forward() {
        use RecordStatus::*;
        let order = [Submitting, Queued, Running, Completed];
        for (i, earlier) in order.iter().enumerate() {
            for later in &order[i..] {
                let video = *later == Completed;
                assert!(supersedes(&record(*later, video), &record(*earlier, false)));
            }
            for later in &order[..i] {
                assert!(
                    !supersedes(&record(*later, false), &record(*earlier, false)),
                    "{later:?} over {earlier:?}"
                );
            }
        }
        assert!(!supersedes(
            &record(Running, false),
            &record(Cancelled, false)
        ));
    }

    #[test]
    fn nothing_without_a_video_replaces_a_record_holding_one() {
        let done = record(RecordStatus::Completed, true);
        for status in [
            RecordStatus::Expired,
            RecordStatus::Failed,
            RecordStatus::Running,
            RecordStatus::Cancelled,
        ] {
            assert!(!supersedes(&record(status, false), &done), "{status:?}");
        }
        assert!(supersedes(&done.clone(), &done));
    }

    #[test]
    fn a_failure_may_be_checked_again() {
        let failed = record(RecordStatus::Failed, false);
        assert!(supersedes(&record(RecordStatus::Running, false), &failed));
        assert!(supersedes(&record(RecordStatus::Completed, true), &failed));
        // An expired result may still turn up, if another tab fetched it.
        let expired = record(RecordStatus::Expired, false);
        assert!(supersedes(&record(RecordStatus::Completed, true), &expired));
    }
}
