//! `Retry-After` values: either a number of seconds or an HTTP date.
//!
//! RFC 9110 §10.2.3 allows both, and a recipient must accept all three date
//! formats of §5.6.7 (IMF-fixdate, the obsolete RFC 850 form and asctime).
//! The core cannot read a clock, so "now" is passed in as Unix seconds.

use std::time::Duration;

/// How long a `Retry-After` header asks us to wait, measured from `now`.
/// A date in the past means "now" (zero). Unparseable values give `None`.
pub fn parse_retry_after(value: &str, now_unix_secs: u64) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly long digit strings saturate instead of being ignored.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value, now_unix_secs)?;
    Some(Duration::from_secs(at.saturating_sub(now_unix_secs)))
}

/// An HTTP date as Unix seconds. `now_unix_secs` resolves the two-digit
/// years of the RFC 850 form (RFC 9110: a year more than 50 years ahead is
/// read as the most recent past year with those digits).
pub fn parse_http_date(text: &str, now_unix_secs: u64) -> Option<u64> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let (year, month, day, time) = match tokens.as_slice() {
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        [weekday, day, month, year, time, "GMT"] if weekday.ends_with(',') => {
            if year.len() != 4 {
                return None;
            }
            (number(year)?, month_number(month)?, number(day)?, *time)
        }
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
        [weekday, date, time, "GMT"] if weekday.ends_with(',') => {
            let mut parts = date.split('-');
            let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || year.len() != 2 {
                return None;
            }
            let year = two_digit_year(number(year)?, now_unix_secs);
            (year, month_number(month)?, number(day)?, *time)
        }
        // asctime: "Sun Nov  6 08:49:37 1994"
        [_weekday, month, day, time, year] if year.len() == 4 => {
            (number(year)?, month_number(month)?, number(day)?, *time)
        }
        _ => return None,
    };
    let mut clock = time.split(':');
    let (h, m, s) = (clock.next()?, clock.next()?, clock.next()?);
    if clock.next().is_some() || [h, m, s].iter().any(|p| p.len() != 2) {
        return None;
    }
    let (hour, minute, second) = (number(h)?, number(m)?, number(s)?);
    if year < 1970 || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

fn number(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn month_number(name: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS.iter().position(|m| *m == name).map(|i| i as u64 + 1)
}

fn is_leap(year: u64) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given date (proleptic Gregorian).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let days_before_year: u64 = (1970..year)
        .map(|y| if is_leap(y) { 366 } else { 365 })
        .sum();
    let days_before_month: u64 = (1..month).map(|m| days_in_month(year, m)).sum();
    days_before_year + days_before_month + day - 1
}

fn two_digit_year(yy: u64, now_unix_secs: u64) -> u64 {
    let now_year = year_of(now_unix_secs);
    let candidate = now_year - now_year % 100 + yy;
    if candidate > now_year + 50 {
        candidate - 100
    } else {
        candidate
    }
}

fn year_of(unix_secs: u64) -> u64 {
    let mut days = unix_secs / 86_400;
    let mut year = 1970;
    loop {
        let length = if is_leap(year) { 366 } else { 365 };
        if days < length {
            return year;
        }
        days -= length;
        year += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-24T09:51:49Z.
    const NOW: u64 = 1_795_513_909;

    #[test]
    fn reads_the_three_http_date_formats() {
        // RFC 9110's own example instant: 1994-11-06T08:49:37Z.
        let expected = 784_111_777;
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", NOW),
            Some(expected)
        );
        assert_eq!(
            parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", NOW),
            Some(expected)
        );
        assert_eq!(
            parse_http_date("Sun Nov  6 08:49:37 1994", NOW),
            Some(expected)
        );
        assert_eq!(
            parse_http_date("Tue, 24 Nov 2026 09:51:49 GMT", NOW),
            Some(NOW)
        );
        assert_eq!(
            parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT", NOW),
            Some(1_709_164_800)
        );
    }

    #[test]
    fn refuses_malformed_dates() {
        for bad in [
            "",
            "soon",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 29 Feb 2025 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad, NOW), None, "{bad:?}");
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(
            parse_retry_after("120", NOW),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", NOW), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Tue, 24 Nov 2026 09:52:19 GMT", NOW),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Tue, 24 Nov 2026 09:00:00 GMT", NOW),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(parse_retry_after("-5", NOW), None);
        assert_eq!(parse_retry_after("1.5", NOW), None);
        assert_eq!(parse_retry_after("", NOW), None);
        assert_eq!(
            parse_retry_after("99999999999999999999999", NOW),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn two_digit_years_follow_the_fifty_year_rule() {
        // In 2026, "76" is 2076 (50 years ahead), "77" is 1977.
        let y2076 = parse_http_date("Tuesday, 24-Nov-76 00:00:00 GMT", NOW).unwrap();
        let y1977 = parse_http_date("Thursday, 24-Nov-77 00:00:00 GMT", NOW).unwrap();
        assert_eq!(year_of(y2076), 2076);
        assert_eq!(year_of(y1977), 1977);
        assert_eq!(year_of(NOW), 2026);
    }
}
