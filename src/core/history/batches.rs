//! A batch as the history holds it: one record per run that went out (or
//! was cancelled before), each carrying its place ([`BatchRun`]). These
//! rules put the runs back in their grid order after a reload or an import,
//! and say which batch to show again.

use crate::core::batch::batch_id::BatchId;
use crate::core::job::record::JobRecord;

/// The runs of batch `id` in `records`, by their place: `None` where no
/// record exists (a run whose turn had not come when the page closed: it
/// never went out). Empty when the batch is not in `records`. A record
/// claiming a place already taken, or a different run count than the
/// first one found, is left out: records can come from an import.
pub fn runs_in_order<'a>(records: &'a [JobRecord], id: &BatchId) -> Vec<Option<&'a JobRecord>> {
    let mut slots: Vec<Option<&JobRecord>> = Vec::new();
    for record in records {
        let Some(place) = record.batch.as_ref().filter(|b| &b.batch_id == id) else {
            continue;
        };
        if slots.is_empty() {
            slots = vec![None; place.total];
        }
        if place.total != slots.len() {
            continue;
        }
        if slots[place.index].is_none() {
            slots[place.index] = Some(record);
        }
    }
    slots
}

/// The batch to show again after a reload: the newest one with a run
/// still unfinished (the one the person was watching when the page went).
pub fn newest_unfinished_batch(records: &[JobRecord]) -> Option<BatchId> {
    records
        .iter()
        .filter(|r| r.is_unfinished())
        .filter_map(|r| r.batch.as_ref().map(|b| (r.created_at_ms, &b.batch_id)))
        .max_by_key(|(created, _)| *created)
        .map(|(_, id)| id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::batch::batch_id::BatchRun;
    use crate::core::job::record::RecordStatus;
    use crate::core::job::test_support::RecordBuilder;

    fn run(id: &BatchId, index: usize, total: usize, status: RecordStatus) -> JobRecord {
        let mut record = RecordBuilder::new(format!("job-{index}"), 1)
            .status(status)
            .request("https://queue.fal.run/fal-ai/wan", &format!("req-{index}"))
            .build();
        record.batch = Some(BatchRun {
            batch_id: id.clone(),
            index,
            total,
            caption: format!("Seed {index}"),
        });
        record
    }

    #[test]
    fn runs_come_back_in_their_places_with_gaps_for_runs_never_sent() {
        let id = BatchId::from_random(1);
        let other = BatchId::from_random(2);
        let records = vec![
            run(&id, 2, 4, RecordStatus::Running),
            run(&other, 0, 2, RecordStatus::Completed),
            run(&id, 0, 4, RecordStatus::Completed),
            // A second claim on place 0, and one with another run count.
            run(&id, 0, 4, RecordStatus::Failed),
            run(&id, 1, 5, RecordStatus::Queued),
        ];
        let order: Vec<Option<RecordStatus>> = runs_in_order(&records, &id)
            .into_iter()
            .map(|r| r.map(|r| r.status))
            .collect();
        assert_eq!(
            order,
            vec![
                Some(RecordStatus::Completed),
                None,
                Some(RecordStatus::Running),
                None
            ]
        );
        assert!(runs_in_order(&records, &BatchId::from_random(3)).is_empty());
    }

    #[test]
    fn the_batch_shown_again_is_the_newest_with_a_run_unfinished() {
        let (old, new, done) = (
            BatchId::from_random(1),
            BatchId::from_random(2),
            BatchId::from_random(3),
        );
        let mut records = vec![
            run(&old, 0, 2, RecordStatus::Running),
            run(&new, 1, 2, RecordStatus::Queued),
            run(&done, 0, 1, RecordStatus::Completed),
        ];
        records[0].created_at_ms = 10;
        records[1].created_at_ms = 20;
        records[2].created_at_ms = 30;
        assert_eq!(newest_unfinished_batch(&records), Some(new));
        records[1].status = RecordStatus::Completed;
        assert_eq!(newest_unfinished_batch(&records), Some(old));
        records[0].status = RecordStatus::Cancelled;
        assert_eq!(newest_unfinished_batch(&records), None);
    }
}
