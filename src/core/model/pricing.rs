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

/// Formats whole US cents as dollars ("$1.32"), for exact integer amounts.
pub fn format_usd(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

/// What is known of one reference video's length, for the estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BilledLength {
    /// Read from the video, in milliseconds.
    Known { millis: u64 },
    /// Still being read by the browser.
    Reading,
    /// The browser could not read it (the host refused, CORS, offline).
    Unknown,
}

/// One reference video in the estimate, by the label the prompt uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoCharge {
    /// "Video 1", so an unknown length can be pointed at.
    pub label: String,
    pub length: BilledLength,
}

/// The cost of a run before it is sent: $0.10 × (output seconds + the
/// seconds of every reference video).
///
/// Each video's length is rounded to the tenth of a second first (half up),
/// and everything after that is integer arithmetic in tenths of a second and
/// tenths of a cent. That way the spelled-out sum always adds up exactly as
/// shown, and no float ever touches money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostEstimate {
    pub output_seconds: u32,
    pub videos: Vec<VideoCharge>,
}

impl CostEstimate {
    /// Tenths of a second of reference video whose length is known.
    pub fn known_video_tenths(&self) -> u64 {
        self.videos
            .iter()
            .filter_map(|v| match v.length {
                BilledLength::Known { millis } => Some(millis_to_tenths(millis)),
                _ => None,
            })
            .sum()
    }

    /// Billed tenths of a second that are known: output plus known videos.
    pub fn known_tenths(&self) -> u64 {
        u64::from(self.output_seconds) * 10 + self.known_video_tenths()
    }

    /// The known part of the cost in whole cents, rounded half up.
    pub fn known_cents(&self) -> u64 {
        // tenths of a second × cents per second = tenths of a cent.
        let tenth_cents = self.known_tenths() * u64::from(CENTS_PER_SECOND);
        (tenth_cents + 5) / 10
    }

    /// The videos whose length is not (yet) known; the total is then a floor.
    pub fn unpriced(&self) -> impl Iterator<Item = &VideoCharge> {
        self.videos
            .iter()
            .filter(|v| !matches!(v.length, BilledLength::Known { .. }))
    }

    /// True when every second billed is known.
    pub fn is_complete(&self) -> bool {
        self.unpriced().next().is_none()
    }

    /// The headline amount: "$1.32", or "At least $1.32" when a video's
    /// length is unknown.
    pub fn headline(&self) -> String {
        let amount = format_usd(self.known_cents());
        if self.is_complete() {
            amount
        } else {
            format!("At least {amount}")
        }
    }

    /// The sum spelled out, e.g.
    /// "5 s output + 8.2 s of reference video = 13.2 s × $0.10 = $1.32".
    pub fn arithmetic(&self) -> String {
        let price = format_usd(u64::from(CENTS_PER_SECOND));
        let total = format_usd(self.known_cents());
        let has_known_video = self
            .videos
            .iter()
            .any(|v| matches!(v.length, BilledLength::Known { .. }));
        if has_known_video {
            format!(
                "{} s output + {} of reference video = {} × {price} = {total}",
                self.output_seconds,
                format_tenths(self.known_video_tenths()),
                format_tenths(self.known_tenths()),
            )
        } else {
            format!("{} s output × {price} = {total}", self.output_seconds)
        }
    }

    /// One line per video whose length is not known, saying what it adds.
    pub fn unpriced_notes(&self) -> Vec<String> {
        let price = format_usd(u64::from(CENTS_PER_SECOND));
        self.unpriced()
            .map(|v| match v.length {
                BilledLength::Reading => format!("{}: reading its length…", v.label),
                _ => format!(
                    "{}: length unknown (the browser could not read it); it adds {price} \
                     for every second it runs.",
                    v.label
                ),
            })
            .collect()
    }
}

/// Milliseconds to tenths of a second, rounded half up.
pub fn millis_to_tenths(millis: u64) -> u64 {
    (millis + 50) / 100
}

/// Tenths of a second as people write them: "8.2 s", "13 s".
pub fn format_tenths(tenths: u64) -> String {
    if tenths.is_multiple_of(10) {
        format!("{} s", tenths / 10)
    } else {
        format!("{}.{} s", tenths / 10, tenths % 10)
    }
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

    fn estimate(output_seconds: u32, videos: &[BilledLength]) -> CostEstimate {
        CostEstimate {
            output_seconds,
            videos: videos
                .iter()
                .enumerate()
                .map(|(i, &length)| VideoCharge {
                    label: format!("Video {}", i + 1),
                    length,
                })
                .collect(),
        }
    }

    #[test]
    fn output_only_costs_ten_cents_a_second() {
        let e = estimate(5, &[]);
        assert_eq!(e.arithmetic(), "5 s output × $0.10 = $0.50");
        assert_eq!(e.headline(), "$0.50");
        assert_eq!(estimate(10, &[]).known_cents(), 100);
        assert_eq!(estimate(2, &[]).headline(), "$0.20");
    }

    #[test]
    fn reference_videos_are_billed_too_and_spelled_out() {
        let e = estimate(5, &[BilledLength::Known { millis: 8_200 }]);
        assert_eq!(
            e.arithmetic(),
            "5 s output + 8.2 s of reference video = 13.2 s × $0.10 = $1.32"
        );
        assert_eq!(e.headline(), "$1.32");
        assert!(e.is_complete());
        assert!(e.unpriced_notes().is_empty());

        let two = estimate(
            10,
            &[
                BilledLength::Known { millis: 3_000 },
                BilledLength::Known { millis: 4_960 },
            ],
        );
        assert_eq!(
            two.arithmetic(),
            "10 s output + 8 s of reference video = 18 s × $0.10 = $1.80"
        );
    }

    #[test]
    fn each_video_is_rounded_to_the_tenth_before_summing() {
        // 0.15 s rounds up to 0.2 s on its own: the sum shown is 0.4 s, and
        // the money follows what is shown, not the hidden 0.3 s.
        let e = estimate(
            2,
            &[
                BilledLength::Known { millis: 150 },
                BilledLength::Known { millis: 150 },
            ],
        );
        assert_eq!(
            e.arithmetic(),
            "2 s output + 0.4 s of reference video = 2.4 s × $0.10 = $0.24"
        );
        assert_eq!(millis_to_tenths(8_249), 82);
        assert_eq!(millis_to_tenths(8_250), 83);
        assert_eq!(millis_to_tenths(0), 0);
        // Long inputs stay exact: 100 videos of 29.99 s.
        let many = estimate(10, &[BilledLength::Known { millis: 29_990 }; 100]);
        assert_eq!(many.known_tenths(), 100 + 300 * 100);
        assert_eq!(many.headline(), "$301.00");
    }

    #[test]
    fn unknown_lengths_are_reported_with_what_they_add() {
        let e = estimate(
            5,
            &[
                BilledLength::Known { millis: 8_200 },
                BilledLength::Unknown,
                BilledLength::Reading,
            ],
        );
        assert!(!e.is_complete());
        assert_eq!(e.headline(), "At least $1.32");
        assert_eq!(
            e.arithmetic(),
            "5 s output + 8.2 s of reference video = 13.2 s × $0.10 = $1.32"
        );
        assert_eq!(
            e.unpriced_notes(),
            vec![
                "Video 2: length unknown (the browser could not read it); it adds $0.10 for every \
                 second it runs."
                    .to_string(),
                "Video 3: reading its length…".to_string(),
            ]
        );
        let only_unknown = estimate(3, &[BilledLength::Unknown]);
        assert_eq!(only_unknown.arithmetic(), "3 s output × $0.10 = $0.30");
        assert_eq!(only_unknown.headline(), "At least $0.30");
    }

    #[test]
    fn whole_cents_format_exactly() {
        assert_eq!(format_usd(0), "$0.00");
        assert_eq!(format_usd(7), "$0.07");
        assert_eq!(format_usd(132), "$1.32");
        assert_eq!(format_usd(30_010), "$300.10");
        assert_eq!(format_tenths(132), "13.2 s");
        assert_eq!(format_tenths(130), "13 s");
        assert_eq!(format_tenths(4), "0.4 s");
    }
}
