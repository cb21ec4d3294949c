//! What a batch costs: every run is priced by the one pricing rule
//! ([`crate::core::model::pricing`]), so each run pays its own output
//! seconds and, again, every second of every reference video.
//!
//! The summary says the per-run price and the total in one line. When the
//! runs differ (durations swept), one "× price" would be false, so it gives
//! the range instead; when a reference video's length is unknown, every
//! amount is a floor and says so.

use crate::core::batch::plan::BatchPlan;
use crate::core::model::pricing::{format_usd, CostEstimate};

/// The cost of each run, in run order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchCost {
    pub runs: Vec<CostEstimate>,
}

impl BatchCost {
    /// Prices each run of `plan`; `single` is the form's own estimate
    /// (its reference videos, as far as their lengths are known).
    pub fn new(single: &CostEstimate, plan: &BatchPlan) -> Self {
        let runs = plan
            .runs
            .iter()
            .map(|run| CostEstimate {
                output_seconds: u32::from(run.request.input.duration.seconds()),
                videos: single.videos.clone(),
            })
            .collect();
        Self { runs }
    }

    /// The known total in cents (a floor when a length is unknown): what
    /// spending caps and the confirmation threshold compare against.
    pub fn total_cents(&self) -> u64 {
        self.runs.iter().map(CostEstimate::known_cents).sum()
    }

    /// True when every second billed in every run is known.
    pub fn is_complete(&self) -> bool {
        self.runs.iter().all(CostEstimate::is_complete)
    }

    /// The amount next to Generate: "$3.00", or "At least $3.00".
    pub fn headline(&self) -> String {
        let total = format_usd(self.total_cents());
        if self.is_complete() {
            total
        } else {
            format!("At least {total}")
        }
    }

    /// The line under it: "6 runs × $0.50 = $3.00", or, when the runs
    /// differ, "6 runs at $0.20 to $1.00 each = $3.60 in total".
    pub fn summary(&self) -> String {
        let count = self.runs.len();
        let runs = if count == 1 {
            "1 run".to_string()
        } else {
            format!("{count} runs")
        };
        let floor = if self.is_complete() { "" } else { "at least " };
        let total = format_usd(self.total_cents());
        let cents: Vec<u64> = self.runs.iter().map(CostEstimate::known_cents).collect();
        let (low, high) = (
            cents.iter().copied().min().unwrap_or(0),
            cents.iter().copied().max().unwrap_or(0),
        );
        if low == high {
            format!("{runs} × {floor}{} = {floor}{total}", format_usd(low))
        } else {
            format!(
                "{runs} at {floor}{} to {} each = {floor}{total} in total",
                format_usd(low),
                format_usd(high)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::batch::variations::{SeedMode, Ticked, Variations};
    use crate::core::form::state::FormState;
    use crate::core::model::pricing::{BilledLength, VideoCharge};
    use crate::core::model::schema::{AspectRatio, DurationSeconds};

    fn plan(variations: &Variations) -> BatchPlan {
        let form = FormState {
            prompt: "p".into(),
            seed_text: "1".into(),
            ..FormState::default()
        };
        BatchPlan::new(&form, variations, &mut || 0).unwrap()
    }

    fn output_only() -> CostEstimate {
        CostEstimate {
            output_seconds: 5,
            videos: vec![],
        }
    }

    #[test]
    fn equal_runs_read_as_count_times_price() {
        let v = Variations {
            seed_count: 2,
            seed_mode: SeedMode::CountUp,
            aspect_ratio: Ticked {
                on: true,
                values: AspectRatio::ALL[..3].to_vec(),
            },
            ..Variations::default()
        };
        let cost = BatchCost::new(&output_only(), &plan(&v));
        assert_eq!(cost.summary(), "6 runs × $0.50 = $3.00");
        assert_eq!(cost.headline(), "$3.00");
        assert_eq!(cost.total_cents(), 300);
        let one = BatchCost::new(&output_only(), &plan(&Variations::default()));
        assert_eq!(one.summary(), "1 run × $0.50 = $0.50");
    }

    #[test]
    fn runs_of_different_durations_give_the_range_and_the_total() {
        let seconds = [2, 5, 10].map(|s| DurationSeconds::new(s).unwrap());
        let v = Variations {
            seed_count: 2,
            seed_mode: SeedMode::CountUp,
            duration: Ticked {
                on: true,
                values: seconds.to_vec(),
            },
            ..Variations::default()
        };
        let video = CostEstimate {
            output_seconds: 5,
            videos: vec![VideoCharge {
                label: "Video 1".into(),
                length: BilledLength::Known { millis: 8_200 },
            }],
        };
        let cost = BatchCost::new(&video, &plan(&v));
        // Each run pays the 8.2 s reference again: 1.02, 1.32, 1.82.
        assert_eq!(
            cost.summary(),
            "6 runs at $1.02 to $1.82 each = $8.32 in total"
        );
        assert_eq!(cost.headline(), "$8.32");
    }

    #[test]
    fn an_unknown_video_length_makes_every_amount_a_floor() {
        let unknown = CostEstimate {
            output_seconds: 5,
            videos: vec![VideoCharge {
                label: "Video 1".into(),
                length: BilledLength::Unknown,
            }],
        };
        let v = Variations {
            seed_count: 3,
            seed_mode: SeedMode::CountUp,
            ..Variations::default()
        };
        let cost = BatchCost::new(&unknown, &plan(&v));
        assert!(!cost.is_complete());
        assert_eq!(cost.summary(), "3 runs × at least $0.50 = at least $1.50");
        assert_eq!(cost.headline(), "At least $1.50");
    }
}
