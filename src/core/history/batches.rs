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

/// One line of the History panel: a job on its own, or a batch with its
/// runs (newest batch run's place in the list, runs in grid order).
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryRow {
    Single(Box<JobRecord>),
    Batch { id: BatchId, runs: Vec<JobRecord> },
}

/// Puts `records` (newest first) into rows: every run of a batch joins
/// the batch's one row, where its first run appears.
pub fn rows(records: &[JobRecord]) -> Vec<HistoryRow> {
    let mut rows: Vec<HistoryRow> = Vec::new();
    for record in records {
        let Some(place) = &record.batch else {
            rows.push(HistoryRow::Single(Box::new(record.clone())));
            continue;
        };
        let existing = rows.iter_mut().find_map(|row| match row {
            HistoryRow::Batch { id, runs } if *id == place.batch_id => Some(runs),
            _ => None,
        });
        match existing {
            Some(runs) => runs.push(record.clone()),
            None => rows.push(HistoryRow::Batch {
                id: place.batch_id.clone(),
                runs: vec![record.clone()],
            }),
        }
    }
    for row in &mut rows {
        if let HistoryRow::Batch { runs, .. } = row {
            runs.sort_by_key(|r| r.batch.as_ref().map_or(0, |b| b.index));
        }
    }
    rows
}

/// What a batch's runs cost together: "$3.00 in all", or "at least $3.00
/// in all" when any run's estimate was incomplete (a video whose length
/// was unknown), as a single entry says it ([`super::entry::cost_text`]).
pub fn batch_cost_text(runs: &[JobRecord]) -> String {
    use crate::core::model::pricing::format_usd;
    let cents: u64 = runs.iter().map(|r| r.cost.cents).sum();
    let amount = format_usd(cents);
    if runs.iter().all(|r| r.cost.complete) {
        format!("{amount} in all")
    } else {
        format!("at least {amount} in all")
    }
}

/// What a batch's row says about it: "Batch of 6 runs: 5 ready, 1 cancelled".
pub fn batch_summary(runs: &[JobRecord]) -> String {
    use crate::core::history::entry::status_label;
    let total = runs
        .first()
        .and_then(|r| r.batch.as_ref())
        .map_or(runs.len(), |b| b.total);
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for run in runs {
        let label = status_label(run);
        match counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => *n += 1,
            None => counts.push((label, 1)),
        }
    }
    let parts: Vec<String> = counts
        .into_iter()
        .map(|(label, n)| format!("{n} {}", label.to_lowercase()))
        .collect();
    format!("Batch of {total} runs: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::batch::batch_id::BatchRun;
    use crate::core::job::record::RecordStatus;
    use crate::core::job::test_support::RecordBuilder;

    fn run(id: &BatchId, index: usize, total: usize, status: RecordStatus) -> JobRecord {
        let mut builder = RecordBuilder::new(format!("job-{index}"), 1)
            .status(status)
            .request("https://queue.fal.run/fal-ai/wan", &format!("req-{index}"));
        if status == RecordStatus::Completed {
            builder = builder.output("https://v3.fal.media/files/out.mp4", index as i64);
        }
        let mut record = builder.build();
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
    fn a_batch_is_one_row_where_its_newest_run_is_with_runs_in_grid_order() {
        let id = BatchId::from_random(5);
        let single = RecordBuilder::new("solo", 1).build();
        let records = vec![
            run(&id, 1, 3, RecordStatus::Completed),
            single.clone(),
            run(&id, 0, 3, RecordStatus::Cancelled),
            run(&id, 2, 3, RecordStatus::Completed),
        ];
        let rows = rows(&records);
        assert_eq!(rows.len(), 2);
        let HistoryRow::Batch { id: got, runs } = &rows[0] else {
            panic!("the batch comes first, where its newest run was")
        };
        assert_eq!(got, &id);
        let order: Vec<usize> = runs
            .iter()
            .map(|r| r.batch.as_ref().unwrap().index)
            .collect();
        assert_eq!(order, vec![0, 1, 2]);
        assert_eq!(rows[1], HistoryRow::Single(Box::new(single)));
        assert_eq!(batch_summary(runs), "Batch of 3 runs: 1 cancelled, 2 done");
    }

    #[test]
    fn export_and_import_keep_a_batch_together() {
        use crate::core::history::file::{export_json, read_export};
        use crate::core::history::records::{History, HISTORY_CAP};
        let id = BatchId::from_random(6);
        let mut history = History::default();
        for index in 0..3 {
            let mut record = run(&id, index, 3, RecordStatus::Completed);
            record.id = format!("job-b{index}");
            history.upsert(record, HISTORY_CAP, |_| false);
        }
        let text = export_json(&history, 1_000);
        let imported = read_export(&text, text.len() as u64).unwrap();
        let back = rows(&imported.records);
        assert_eq!(back.len(), 1);
        let HistoryRow::Batch { id: got, runs } = &back[0] else {
            panic!("still one batch")
        };
        assert_eq!(got, &id);
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[2].batch.as_ref().unwrap().caption, "Seed 2");
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

    #[test]
    fn a_batch_costs_the_sum_of_its_runs_and_says_at_least_when_one_was_incomplete() {
        let id = BatchId::from_random(1);
        let mut runs: Vec<JobRecord> = (0..3)
            .map(|i| {
                let mut r = run(&id, i, 3, RecordStatus::Completed);
                r.cost.cents = 50;
                r.cost.complete = true;
                r
            })
            .collect();
        assert_eq!(batch_cost_text(&runs), "$1.50 in all");
        runs[1].cost.complete = false;
        assert_eq!(batch_cost_text(&runs), "at least $1.50 in all");
    }
}
