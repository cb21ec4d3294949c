//! What a run costs, in the terms fal bills it.
//!
//! fal's model page: "$0.10 per second. When video inputs are provided,
//! billing duration is calculated as input video duration + output video
//! duration". Money is kept in integer tenths of a cent so sums never drift.

/// Price of one billed second, in US cents.
pub const CENTS_PER_SECOND: u32 = 10;

/// The price per second as people read it, for labels.
pub fn price_per_second_label() -> String {
    format_usd_cents(f64::from(CENTS_PER_SECOND))
}

/// Formats an amount of US cents as dollars with two decimals ("$1.32").
///
/// Amounts are rounded half away from zero to the cent, the way a bill is.
pub fn format_usd_cents(cents: f64) -> String {
    let rounded = cents.round() as i64;
    let sign = if rounded < 0 { "-" } else { "" };
    let abs = rounded.unsigned_abs();
    format!("{sign}${}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_label_is_ten_cents() {
        assert_eq!(price_per_second_label(), "$0.10");
    }

    #[test]
    fn formats_dollars_and_cents() {
        assert_eq!(format_usd_cents(0.0), "$0.00");
        assert_eq!(format_usd_cents(50.0), "$0.50");
        assert_eq!(format_usd_cents(132.0), "$1.32");
        assert_eq!(format_usd_cents(1000.0), "$10.00");
        assert_eq!(format_usd_cents(131.5), "$1.32");
        assert_eq!(format_usd_cents(-20.0), "-$0.20");
    }
}
