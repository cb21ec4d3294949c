//! "Today: $3.40 · This month: $41.20", from the history's records.
//!
//! Only runs fal accepted count: a record with a request id. A submit that
//! fal refused, or that never left (an upload failed, no access, a budget
//! reached), cost nothing. Each run counts its estimate as shown when it
//! was sent, which is what fal bills for this model (output seconds plus
//! reference video seconds at a fixed rate).

use crate::core::access::refusal::dollars;
use crate::core::job::record::JobRecord;
use crate::core::spending::calendar::civil_from_days;

const DAY_MS: i64 = 86_400_000;

/// What the accepted runs came to, in the person's local day and month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpendTotals {
    pub today_cents: u64,
    pub month_cents: u64,
}

/// The local day number of a moment, with the offset east of UTC.
fn local_day(ms: u64, utc_offset_minutes: i32) -> i64 {
    (ms as i64 + i64::from(utc_offset_minutes) * 60_000).div_euclid(DAY_MS)
}

/// Sums the accepted runs created today and this month, local time.
/// Records dated in the future (a clock that was wrong) count for neither.
pub fn totals<'a>(
    records: impl IntoIterator<Item = &'a JobRecord>,
    now_ms: u64,
    utc_offset_minutes: i32,
) -> SpendTotals {
    let today = local_day(now_ms, utc_offset_minutes);
    let (year, month, _) = civil_from_days(today);
    let mut sum = SpendTotals::default();
    for record in records {
        if record.request.is_none() || record.created_at_ms > now_ms {
            continue;
        }
        let day = local_day(record.created_at_ms, utc_offset_minutes);
        let (y, m, _) = civil_from_days(day);
        if (y, m) == (year, month) {
            sum.month_cents = sum.month_cents.saturating_add(record.cost.cents);
            if day == today {
                sum.today_cents = sum.today_cents.saturating_add(record.cost.cents);
            }
        }
    }
    sum
}

impl SpendTotals {
    /// "Today: $3.40 · This month: $41.20".
    pub fn line(&self) -> String {
        format!(
            "Today: {} · This month: {}",
            dollars(self.today_cents),
            dollars(self.month_cents)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::job::record::{StoredCost, StoredRequest};
    use crate::core::model::schema::R2vInput;

    /// 2026-03-15 12:00 UTC.
    const NOW: u64 = 1_773_576_000_000;
    const HOUR: u64 = 3_600_000;

    fn run(created: u64, cents: u64, accepted: bool) -> JobRecord {
        let cost = StoredCost {
            cents,
            arithmetic: String::new(),
            complete: true,
        };
        let mut record =
            JobRecord::new(format!("job-{created}"), created, R2vInput::default(), cost);
        record.request = accepted.then(|| StoredRequest {
            request_id: format!("req-{created}"),
            status_url: String::new(),
            stream_url: String::new(),
            response_url: String::new(),
            cancel_url: String::new(),
        });
        record
    }

    #[test]
    fn only_runs_fal_accepted_count() {
        let records = [
            run(NOW - HOUR, 50, true),
            run(NOW - 2 * HOUR, 290, true),
            run(NOW - 3 * HOUR, 1000, false), // refused or never sent
            run(NOW - 5 * 24 * HOUR, 3780, true),
            run(NOW - 20 * 24 * HOUR, 999, true), // February
            run(NOW + HOUR, 777, true),           // a clock that was wrong
        ];
        let sum = totals(&records, NOW, 0);
        assert_eq!(
            sum,
            SpendTotals {
                today_cents: 340,
                month_cents: 4120
            }
        );
        assert_eq!(sum.line(), "Today: $3.40 · This month: $41.20");
    }

    #[test]
    fn today_is_the_persons_own_day() {
        // 23:30 UTC on the 14th is already the 15th in UTC+1, still the
        // 14th in UTC.
        let late = NOW - 12 * HOUR - HOUR / 2;
        let records = [run(late, 120, true)];
        assert_eq!(totals(&records, NOW, 60).today_cents, 120);
        assert_eq!(totals(&records, NOW, 0).today_cents, 0);
        assert_eq!(totals(&records, NOW, 0).month_cents, 120);
    }

    #[test]
    fn nothing_spent_reads_as_zero() {
        assert_eq!(
            totals(&Vec::<JobRecord>::new(), NOW, 0).line(),
            "Today: $0.00 · This month: $0.00"
        );
    }
}
