//! Budgets in dollars, counted the way fal bills: output seconds × $0.10
//! plus the seconds of every reference video. A submit reserves its
//! estimate in every counter it counts against (the day's and the month's,
//! globally and for its identity); over any limit it is refused with 402
//! before anything reaches fal.

pub mod calendar;
pub mod estimate;
pub mod money;

use std::time::SystemTime;

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;
use wan_r2v_studio::core::model::pricing::format_usd;

use self::calendar::Periods;
use self::money::{dollars, Cents};
use crate::access::Identity;
use crate::json_error::json_response;
use crate::state::{Counter, Reservation, Scope};

/// The deployer's limits (`--budget-daily`, `--budget-monthly`,
/// `--identity-budget-daily`); an access code may set its own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Budgets {
    pub daily: Option<Cents>,
    pub monthly: Option<Cents>,
    pub identity_daily: Option<Cents>,
}

impl Budgets {
    /// The reservation for `cents` by `identity` at `now`. Every counter is
    /// kept (with or without a limit), so spend is known when a limit is
    /// added later.
    pub fn reservation(&self, identity: &Identity, cents: Cents, now: SystemTime) -> Reservation {
        let p = Periods::at(now);
        let (day_ttl, month_ttl) = (p.day_ttl.as_secs(), p.month_ttl.as_secs());
        let counter = |scope, key: String, limit, ttl_secs| Counter {
            scope,
            key,
            limit,
            ttl_secs,
        };
        let who = &identity.key;
        Reservation {
            cents,
            counters: vec![
                counter(
                    Scope::GlobalDaily,
                    format!("spend:all:day:{}", p.day),
                    self.daily,
                    day_ttl,
                ),
                counter(
                    Scope::GlobalMonthly,
                    format!("spend:all:month:{}", p.month),
                    self.monthly,
                    month_ttl,
                ),
                counter(
                    Scope::IdentityDaily,
                    format!("spend:{who}:day:{}", p.day),
                    identity.daily.or(self.identity_daily),
                    day_ttl,
                ),
                counter(
                    Scope::IdentityMonthly,
                    format!("spend:{who}:month:{}", p.month),
                    identity.monthly,
                    month_ttl,
                ),
            ],
        }
    }
}

/// The 402 answer: what was reached, how much is spent, when it resets.
pub fn over_budget(counter: &Counter, spent: Cents, cost: Cents, now: SystemTime) -> Response {
    let periods = Periods::at(now);
    let limit = counter.limit.unwrap_or(0);
    let (whose, when, resets_at) = match counter.scope {
        Scope::GlobalDaily => ("This studio's", "today", periods.day_resets_at),
        Scope::GlobalMonthly => ("This studio's", "this month", periods.month_resets_at),
        Scope::IdentityDaily => ("Your", "today", periods.day_resets_at),
        Scope::IdentityMonthly => ("Your", "this month", periods.month_resets_at),
    };
    let detail = format!(
        "{whose} budget is reached: {} of {} spent {when}, and this run costs {}. \
         It resets at {} UTC.",
        format_usd(spent),
        format_usd(limit),
        format_usd(cost),
        &resets_at[11..16],
    );
    json_response(
        StatusCode::PAYMENT_REQUIRED,
        &json!({
            "detail": detail,
            "budget": {
                "scope": counter.scope,
                "limit_usd": dollars(limit),
                "spent_usd": dollars(spent),
                "cost_usd": dollars(cost),
                "resets_at": resets_at,
            }
        }),
    )
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::access::Identity;

    #[test]
    fn a_code_s_own_daily_budget_wins_over_the_flag() {
        let budgets = Budgets {
            daily: Some(10_000),
            monthly: None,
            identity_daily: Some(500),
        };
        let now = UNIX_EPOCH + Duration::from_secs(1_796_558_400); // 2026-12-06T12:00Z
        let mut alice = Identity::code("alice");
        let r = budgets.reservation(&alice, 80, now);
        assert_eq!(r.cents, 80);
        let keys: Vec<&str> = r.counters.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "spend:all:day:2026-12-06",
                "spend:all:month:2026-12",
                "spend:code:alice:day:2026-12-06",
                "spend:code:alice:month:2026-12"
            ]
        );
        assert_eq!(r.counters[2].limit, Some(500));
        assert_eq!(r.counters[3].limit, None);
        alice.daily = Some(100);
        alice.monthly = Some(2_000);
        let r = budgets.reservation(&alice, 80, now);
        assert_eq!(
            (r.counters[2].limit, r.counters[3].limit),
            (Some(100), Some(2_000))
        );
        assert_eq!(r.counters[0].limit, Some(10_000));
    }
}
