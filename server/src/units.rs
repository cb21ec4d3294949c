//! The units flags and prompt words are written in: durations (`500ms`,
//! `3s`, `10m`) and sizes (`512KiB`, `1MiB`).

use std::time::Duration;

/// Why a duration or size did not parse; its text is what `--help` users see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitError {
    #[error("{0:?} is not a duration such as 500ms, 3s or 10m")]
    NotADuration(String),
    #[error("{0:?} must be zero or more")]
    Negative(String),
    #[error("{0:?} is not a size such as 1048576, 512KiB or 1MiB")]
    NotASize(String),
    #[error("{0:?} is too large")]
    TooLarge(String),
    #[error("{0:?} is not a rate such as 10/min, 1/s or 100/h (0 turns it off)")]
    NotARate(String),
}

/// Parses `500ms`, `3s`, `1.5s`, `10m` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, UnitError> {
    let text = text.trim();
    let (number, unit_ms) = if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60_000.0)
    } else {
        (text, 1000.0)
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| UnitError::NotADuration(text.to_owned()))?;
    if !value.is_finite() || value < 0.0 {
        return Err(UnitError::Negative(text.to_owned()));
    }
    Ok(Duration::from_secs_f64(value * unit_ms / 1000.0))
}

/// Parses `1048576`, `512KiB`, `1MiB` or `2GiB` into bytes.
pub fn parse_size(text: &str) -> Result<u64, UnitError> {
    let text = text.trim();
    let (number, factor) = [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        .iter()
        .find_map(|(suffix, f)| text.strip_suffix(suffix).map(|n| (n, *f)))
        .unwrap_or((text, 1));
    let value: u64 = number
        .trim()
        .parse()
        .map_err(|_| UnitError::NotASize(text.to_owned()))?;
    value
        .checked_mul(factor)
        .ok_or_else(|| UnitError::TooLarge(text.to_owned()))
}

/// Parses `10/min`, `1/s`, `100/h` into (count, period); `0` (or `0/min`)
/// is `None`: no limit.
pub fn parse_rate(text: &str) -> Result<Option<(u32, Duration)>, UnitError> {
    let refuse = || UnitError::NotARate(text.to_owned());
    let trimmed = text.trim();
    let (count, period) = trimmed.split_once('/').unwrap_or((trimmed, "min"));
    let count: u32 = count.trim().parse().map_err(|_| refuse())?;
    let period = match period.trim() {
        "s" => Duration::from_secs(1),
        "min" => Duration::from_secs(60),
        "h" => Duration::from_secs(3600),
        _ => return Err(refuse()),
    };
    Ok((count > 0).then_some((count, period)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_units() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("3s"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("2"), Ok(Duration::from_secs(2)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("-1s").is_err());
    }

    #[test]
    fn sizes_take_binary_units() {
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("512KiB"), Ok(512 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("1MB").is_err());
        assert!(parse_size("99999999999GiB").is_err());
    }

    #[test]
    fn rates_name_a_count_and_a_period() {
        assert_eq!(
            parse_rate("10/min"),
            Ok(Some((10, Duration::from_secs(60))))
        );
        assert_eq!(parse_rate("1/s"), Ok(Some((1, Duration::from_secs(1)))));
        assert_eq!(
            parse_rate("100/h"),
            Ok(Some((100, Duration::from_secs(3600))))
        );
        assert_eq!(parse_rate("0"), Ok(None));
        assert!(parse_rate("fast").is_err());
        assert!(parse_rate("10/day").is_err());
        assert!(parse_rate("-1/s").is_err());
    }
}
