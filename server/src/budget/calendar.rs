//! Budget periods: UTC days and UTC months, named the way their counters
//! are keyed (`2026-12-06`, `2026-12`), with the moment each one ends.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::timefmt::{civil_from_days, days_from_civil};

/// The day and month a moment falls in, and when each resets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Periods {
    /// `2026-12-06`.
    pub day: String,
    /// `2026-12`.
    pub month: String,
    /// The next UTC midnight, `2026-12-07T00:00:00Z`.
    pub day_resets_at: String,
    /// The first of next month, `2027-01-01T00:00:00Z`.
    pub month_resets_at: String,
    /// Seconds until the day counter may be forgotten (it ends, plus a
    /// margin for clocks that disagree a little between replicas).
    pub day_ttl: Duration,
    pub month_ttl: Duration,
}

const MARGIN: Duration = Duration::from_secs(2 * 86_400);

impl Periods {
    pub fn at(now: SystemTime) -> Self {
        let secs = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let days = (secs / 86_400) as i64;
        let (year, month, day) = civil_from_days(days);
        let (next_year, next_month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        let month_end_days = days_from_civil(next_year, next_month, 1);
        let until = |end_days: i64| {
            Duration::from_secs((end_days as u64 * 86_400).saturating_sub(secs)) + MARGIN
        };
        let (ny, nm, nd) = civil_from_days(days + 1);
        Self {
            day: format!("{year:04}-{month:02}-{day:02}"),
            month: format!("{year:04}-{month:02}"),
            day_resets_at: format!("{ny:04}-{nm:02}-{nd:02}T00:00:00Z"),
            month_resets_at: format!("{next_year:04}-{next_month:02}-01T00:00:00Z"),
            day_ttl: until(days + 1),
            month_ttl: until(month_end_days),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_utc_day_and_month_and_when_they_end() {
        // 2026-12-31T23:59:59Z
        let t = UNIX_EPOCH
            + Duration::from_secs(days_from_civil(2026, 12, 31) as u64 * 86_400)
            + Duration::from_secs(86_399);
        let p = Periods::at(t);
        assert_eq!(p.day, "2026-12-31");
        assert_eq!(p.month, "2026-12");
        assert_eq!(p.day_resets_at, "2027-01-01T00:00:00Z");
        assert_eq!(p.month_resets_at, "2027-01-01T00:00:00Z");
        assert_eq!(p.day_ttl, Duration::from_secs(1) + MARGIN);
        // A leap day.
        let t = UNIX_EPOCH + Duration::from_secs(days_from_civil(2028, 2, 29) as u64 * 86_400);
        let p = Periods::at(t);
        assert_eq!(p.day_resets_at, "2028-03-01T00:00:00Z");
        assert_eq!(p.month_resets_at, "2028-03-01T00:00:00Z");
        assert_eq!(p.month_ttl, Duration::from_secs(86_400) + MARGIN);
    }
}
