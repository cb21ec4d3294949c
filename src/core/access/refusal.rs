//! The deployer's proxy refusing a call before it reaches fal, read from
//! its answer (docs/deploying.md, "The proxy's answers, for the app"):
//!
//! - 401 `{"reason": "access_required", "mode": "access_code" | "sign_in"}`
//! - 402 `{"budget": {"scope", "limit_usd", "spent_usd", "cost_usd", "resets_at"}}`
//! - 503 `{"reason": "state_unavailable"}`
//!
//! Each has its own message and decides whether Generate may send again:
//! a reached budget blocks it until the budget resets, so the app sends
//! nothing the proxy would refuse anyway.

use serde_json::Value;

use crate::core::spending::calendar::{civil_from_days, days_from_civil};

/// Longest `detail` kept from an answer: the proxy's sentences are short,
/// and an answer is outside input.
const MAX_DETAIL: usize = 400;

/// How the proxy lets people in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessMode {
    /// Codes handed out by the deployer: the app asks for one.
    AccessCode,
    /// An authenticating reverse proxy in front: the person must sign in
    /// to the site; a code would not help.
    SignIn,
}

/// Which counter a budget refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetPeriod {
    Day,
    Month,
}

/// A 402: the run would go over a budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetReached {
    pub period: BudgetPeriod,
    pub limit_cents: u64,
    pub spent_cents: u64,
    pub cost_cents: u64,
    /// When the counter starts again, seconds since 1970 (UTC).
    pub resets_at_unix: u64,
}

/// Why the proxy refused, when it was one of its own access rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessRefusal {
    AccessRequired { mode: AccessMode, detail: String },
    BudgetReached(BudgetReached),
    StateUnavailable { detail: String },
}

/// Reads a proxy answer; `None` when it is not one of these refusals (then
/// it is an ordinary fal or proxy error).
pub fn read(status: u16, body: Option<&Value>) -> Option<AccessRefusal> {
    let body = body?.as_object()?;
    let reason = body.get("reason").and_then(Value::as_str);
    let detail = body
        .get("detail")
        .and_then(Value::as_str)
        .map(|d| d.chars().take(MAX_DETAIL).collect::<String>())
        .unwrap_or_default();
    match (status, reason) {
        (401, Some("access_required")) => {
            let mode = match body.get("mode").and_then(Value::as_str) {
                Some("sign_in") => AccessMode::SignIn,
                _ => AccessMode::AccessCode,
            };
            Some(AccessRefusal::AccessRequired { mode, detail })
        }
        (503, Some("state_unavailable")) => Some(AccessRefusal::StateUnavailable { detail }),
        (402, _) => read_budget(body.get("budget")?).map(AccessRefusal::BudgetReached),
        _ => None,
    }
}

fn read_budget(budget: &Value) -> Option<BudgetReached> {
    let period = match budget.get("scope")?.as_str()? {
        "global_daily" | "identity_daily" => BudgetPeriod::Day,
        "global_monthly" | "identity_monthly" => BudgetPeriod::Month,
        _ => return None,
    };
    let cents = |name: &str| -> Option<u64> {
        let usd = budget.get(name)?.as_f64()?;
        // Non-negative and below a billion dollars: anything else is not a
        // budget the proxy would send.
        (usd.is_finite() && (0.0..1e9).contains(&usd)).then(|| (usd * 100.0).round() as u64)
    };
    Some(BudgetReached {
        period,
        limit_cents: cents("limit_usd")?,
        spent_cents: cents("spent_usd")?,
        cost_cents: cents("cost_usd").unwrap_or(0),
        resets_at_unix: parse_utc(budget.get("resets_at")?.as_str()?)?,
    })
}

impl AccessRefusal {
    /// While true, Generate sends nothing: the proxy would refuse it again.
    /// A budget blocks until it resets; no access blocks until the person
    /// enters a code or signs in (the caller clears the refusal then); a
    /// store that was down may be back on the next press.
    pub fn blocks_generate(&self, now_unix: u64) -> bool {
        match self {
            AccessRefusal::AccessRequired { .. } => true,
            AccessRefusal::BudgetReached(budget) => now_unix < budget.resets_at_unix,
            AccessRefusal::StateUnavailable { .. } => false,
        }
    }

    /// What Generate says. `utc_offset_minutes` is the person's offset east
    /// of UTC, so the reset shows in their own time.
    pub fn message(&self, utc_offset_minutes: i32) -> String {
        match self {
            AccessRefusal::AccessRequired {
                mode: AccessMode::AccessCode,
                detail,
            } => {
                let lead = if detail.is_empty() {
                    "This site's fal proxy needs an access code."
                } else {
                    detail.as_str()
                };
                format!("{lead} Enter it under \"Access code\" in the Connection panel.")
            }
            AccessRefusal::AccessRequired {
                mode: AccessMode::SignIn,
                ..
            } => "You must sign in to this site to use its fal proxy. Sign in, then reload this page."
                .into(),
            AccessRefusal::BudgetReached(budget) => budget.message(utc_offset_minutes),
            AccessRefusal::StateUnavailable { detail } if !detail.is_empty() => detail.clone(),
            AccessRefusal::StateUnavailable { .. } => {
                "The studio's budget store cannot be reached, so it cannot start a job right now. \
                 Try again in a minute."
                    .into()
            }
        }
    }
}

impl BudgetReached {
    /// "Budget reached: $4.50 of $5.00 spent today; resets at 01:00".
    pub fn message(&self, utc_offset_minutes: i32) -> String {
        let local = self.resets_at_unix as i64 + i64::from(utc_offset_minutes) * 60;
        let (year, month, day) = civil_from_days(local.div_euclid(86_400));
        let minute_of_day = local.rem_euclid(86_400) / 60;
        let time = format!("{:02}:{:02}", minute_of_day / 60, minute_of_day % 60);
        let (spent, limit) = (dollars(self.spent_cents), dollars(self.limit_cents));
        match self.period {
            BudgetPeriod::Day => {
                format!("Budget reached: {spent} of {limit} spent today; resets at {time}")
            }
            BudgetPeriod::Month => format!(
                "Budget reached: {spent} of {limit} spent this month; resets on \
                 {year:04}-{month:02}-{day:02} at {time}"
            ),
        }
    }
}

/// "$4.50".
pub fn dollars(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

/// `2026-12-07T00:00:00Z` (optionally with fractional seconds) to seconds
/// since 1970. Only UTC (`Z` or `+00:00`), as the proxy sends.
fn parse_utc(text: &str) -> Option<u64> {
    let text = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix("+00:00"))?;
    let (date, time) = text.split_once('T')?;
    let number = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let mut date = date.split('-');
    let (year, month, day) = (
        number(date.next()?)?,
        number(date.next()?)?,
        number(date.next()?)?,
    );
    let time = time.split('.').next()?;
    let mut time = time.split(':');
    let (hour, minute, second) = (
        number(time.next()?)?,
        number(time.next()?)?,
        number(time.next()?)?,
    );
    let valid = (1970..=9999).contains(&year)
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour < 24
        && minute < 60
        && second < 61;
    if !valid || date.next().is_some() {
        return None;
    }
    let days = days_from_civil(year, month, day);
    u64::try_from(days * 86_400 + hour * 3600 + minute * 60 + second).ok()
}

#[cfg(test)]
#[path = "refusal_tests.rs"]
mod tests;
