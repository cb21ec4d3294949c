//! Byte sizes as people read them: "999 B", "640 KB", "23.4 MB", "10.7 GB".
//!
//! Decimal units, as fal states its limits ("Max 20 MB") and as browsers
//! show storage. One rule everywhere (file sizes, limits, upload progress
//! and speed, result files, kept copies): kilobytes are whole and rounded
//! half up; megabytes and gigabytes carry one decimal, rounded half up and
//! dropped when it is zero. A size moves to the next unit where rounding
//! would otherwise print "1000" of the smaller one.

/// The unit a size is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ByteUnit {
    Bytes,
    Kilobytes,
    Megabytes,
    Gigabytes,
}

impl ByteUnit {
    /// The unit `bytes` reads best in.
    pub fn of(bytes: u64) -> Self {
        match bytes {
            b if b < 1_000 => ByteUnit::Bytes,
            // 999.5 KB would round to "1000 KB".
            b if b < 999_500 => ByteUnit::Kilobytes,
            // 999.95 MB would round to "1000 MB".
            b if b < 999_950_000 => ByteUnit::Megabytes,
            _ => ByteUnit::Gigabytes,
        }
    }

    fn size(self) -> u64 {
        match self {
            ByteUnit::Bytes => 1,
            ByteUnit::Kilobytes => 1_000,
            ByteUnit::Megabytes => 1_000_000,
            ByteUnit::Gigabytes => 1_000_000_000,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            ByteUnit::Bytes => "B",
            ByteUnit::Kilobytes => "KB",
            ByteUnit::Megabytes => "MB",
            ByteUnit::Gigabytes => "GB",
        }
    }
}

/// `bytes` in the unit it reads best in.
pub fn format_bytes(bytes: u64) -> String {
    format_bytes_in(bytes, ByteUnit::of(bytes))
}

/// `bytes` in a given unit, so figures shown together ("12.6 MB of
/// 99.6 MB") share one.
pub fn format_bytes_in(bytes: u64, unit: ByteUnit) -> String {
    let size = unit.size();
    let symbol = unit.symbol();
    match unit {
        ByteUnit::Bytes => format!("{bytes} {symbol}"),
        ByteUnit::Kilobytes => format!("{} {symbol}", half_up(bytes, size)),
        ByteUnit::Megabytes | ByteUnit::Gigabytes => {
            let tenths = half_up(bytes, size / 10);
            if tenths.is_multiple_of(10) {
                format!("{} {symbol}", tenths / 10)
            } else {
                format!("{}.{} {symbol}", tenths / 10, tenths % 10)
            }
        }
    }
}

/// `value / unit`, rounded half up, without overflow near `u64::MAX`.
fn half_up(value: u64, unit: u64) -> u64 {
    value / unit + u64::from(value % unit >= unit.div_ceil(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_sizes_are_whole_bytes_then_whole_kilobytes() {
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(1), "1 B");
        assert_eq!(format_bytes(999), "999 B");
        assert_eq!(format_bytes(1_000), "1 KB");
        assert_eq!(format_bytes(1_499), "1 KB");
        assert_eq!(format_bytes(1_500), "2 KB");
        assert_eq!(format_bytes(639_001), "639 KB");
        assert_eq!(format_bytes(640_000), "640 KB");
        assert_eq!(format_bytes(999_499), "999 KB");
    }

    #[test]
    fn megabytes_and_gigabytes_keep_one_decimal_unless_it_is_zero() {
        assert_eq!(format_bytes(999_500), "1 MB", "never 1000 KB");
        assert_eq!(format_bytes(1_449_999), "1.4 MB");
        assert_eq!(format_bytes(1_450_000), "1.5 MB");
        assert_eq!(format_bytes(4_404_019), "4.4 MB");
        assert_eq!(format_bytes(5_000_000), "5 MB");
        assert_eq!(format_bytes(20_000_000), "20 MB");
        assert_eq!(format_bytes(23_412_345), "23.4 MB");
        assert_eq!(format_bytes(100_000_001), "100 MB");
        assert_eq!(format_bytes(999_949_999), "999.9 MB");
        assert_eq!(format_bytes(999_950_000), "1 GB", "never 1000 MB");
        assert_eq!(format_bytes(10_737_418_240), "10.7 GB");
        assert_eq!(format_bytes(u64::MAX), "18446744073.7 GB");
    }

    #[test]
    fn figures_shown_together_can_share_a_unit() {
        let unit = ByteUnit::of(99_600_000);
        assert_eq!(unit, ByteUnit::Megabytes);
        assert_eq!(format_bytes_in(0, unit), "0 MB");
        assert_eq!(format_bytes_in(12_640_000, unit), "12.6 MB");
        assert_eq!(format_bytes_in(70, ByteUnit::Kilobytes), "0 KB");
        assert_eq!(format_bytes_in(500, ByteUnit::Kilobytes), "1 KB");
        assert!(ByteUnit::Bytes < ByteUnit::Kilobytes && ByteUnit::Megabytes < ByteUnit::Gigabytes);
    }
}
