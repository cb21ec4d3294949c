//! The person's own limits: an optional "Daily spending cap" that stops
//! Generate once today's runs and this one would pass it, and "Confirm runs
//! over" (default $2.00) that asks before an expensive run. Both apply in
//! every mode; the proxy's budgets, if any, come on top.

use serde::{Deserialize, Serialize};

use crate::core::access::refusal::dollars;
use crate::core::spending::totals::SpendTotals;

/// "Confirm runs over" when the person set nothing.
pub const DEFAULT_CONFIRM_OVER_CENTS: u64 = 200;

/// Largest amount either field accepts: far above any run, so a typo of
/// extra zeros is caught.
pub const MAX_CENTS: u64 = 10_000_000;

/// The two settings, as stored in this browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendingLimits {
    #[serde(default)]
    pub daily_cap_cents: Option<u64>,
    #[serde(default = "default_confirm")]
    pub confirm_over_cents: u64,
}

fn default_confirm() -> u64 {
    DEFAULT_CONFIRM_OVER_CENTS
}

impl Default for SpendingLimits {
    fn default() -> Self {
        Self {
            daily_cap_cents: None,
            confirm_over_cents: DEFAULT_CONFIRM_OVER_CENTS,
        }
    }
}

/// What a Generate press may do under the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpendVerdict {
    Go,
    /// Ask first; the message names the cost and the threshold.
    Confirm(String),
    /// Generate is off; the message names the cap and what was spent.
    Capped(String),
}

impl SpendingLimits {
    /// Reads stored settings; anything unreadable is the defaults.
    pub fn from_stored(text: &str) -> Self {
        serde_json::from_str::<Self>(text)
            .ok()
            .filter(|l| l.confirm_over_cents <= MAX_CENTS)
            .filter(|l| l.daily_cap_cents.is_none_or(|c| c <= MAX_CENTS))
            .unwrap_or_default()
    }

    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The verdict for a run costing `run_cents` (its known part), given
    /// what was spent.
    pub fn verdict(&self, spent: SpendTotals, run_cents: u64) -> SpendVerdict {
        self.verdict_for(spent, run_cents, 1)
    }

    /// The verdict for one Generate of `runs` runs (a batch when more than
    /// one) costing `run_cents` together: the cap and the threshold apply
    /// to what the press spends, so a batch asks once, for its total.
    pub fn verdict_for(&self, spent: SpendTotals, run_cents: u64, runs: usize) -> SpendVerdict {
        let this = if runs > 1 {
            format!("this batch of {runs} runs")
        } else {
            "this run".to_string()
        };
        if let Some(cap) = self.daily_cap_cents {
            if spent.today_cents.saturating_add(run_cents) > cap {
                let why = if spent.today_cents >= cap {
                    String::new()
                } else {
                    format!(", and {this} costs {}", dollars(run_cents))
                };
                return SpendVerdict::Capped(format!(
                    "Daily spending cap {} reached: {} spent today{why}. \
                     Raise or clear the cap under Spending to generate.",
                    dollars(cap),
                    dollars(spent.today_cents)
                ));
            }
        }
        if run_cents > self.confirm_over_cents {
            let mut sentence = this;
            sentence[..1].make_ascii_uppercase();
            return SpendVerdict::Confirm(format!(
                "{sentence} costs {}, over your {} confirmation threshold. Start it?",
                dollars(run_cents),
                dollars(self.confirm_over_cents)
            ));
        }
        SpendVerdict::Go
    }
}

impl SpendingLimits {
    /// The limits as the two fields read: "Daily spending cap" (empty: no
    /// cap) and "Confirm runs over" (empty: the default). `None` while
    /// either field does not read, so a half-typed amount never replaces
    /// the limits in force.
    pub fn from_fields(cap: &str, confirm_over: &str) -> Option<Self> {
        let daily_cap_cents = parse_dollars(cap).ok()?;
        let confirm_over_cents = parse_dollars(confirm_over)
            .ok()?
            .unwrap_or(DEFAULT_CONFIRM_OVER_CENTS);
        Some(Self {
            daily_cap_cents,
            confirm_over_cents,
        })
    }
}

/// Reads "$2", "2.50", " 12 " as cents. Empty text is `None` (no cap).
pub fn parse_dollars(text: &str) -> Result<Option<u64>, String> {
    let text = text.trim();
    let text = text.strip_prefix('$').unwrap_or(text).trim();
    if text.is_empty() {
        return Ok(None);
    }
    let refuse = || {
        Err(format!(
            "Write an amount in dollars, such as 5 or 2.50 (at most {}).",
            dollars(MAX_CENTS)
        ))
    };
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty())
        || !digits(whole)
        || !digits(fraction)
        || fraction.len() > 2
        || whole.len() > 9
    {
        return refuse();
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().unwrap_or(u64::MAX)
    };
    let fraction: u64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    let cents = whole.saturating_mul(100).saturating_add(fraction);
    if cents > MAX_CENTS {
        return refuse();
    }
    Ok(Some(cents))
}

#[cfg(test)]
#[path = "limits_tests.rs"]
mod tests;
