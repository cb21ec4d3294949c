//! Tests for [`super`], with the proxy's answers exactly as
//! `wan-r2v-server` sends them.

use super::*;
use crate::core::spending::calendar::{civil_from_days, days_from_civil};
use serde_json::json;

fn budget_402(scope: &str) -> Value {
    json!({
        "detail": "Your budget is reached: $4.50 of $5.00 spent today, and this run costs $0.80. It resets at 00:00 UTC.",
        "budget": {"scope": scope, "limit_usd": 5.0, "spent_usd": 4.5, "cost_usd": 0.8, "resets_at": "2026-12-07T00:00:00Z"}
    })
}

#[test]
fn no_access_asks_for_a_code_or_a_sign_in() {
    let code = json!({"detail": "This studio's fal proxy needs an access code. Ask the person who runs it for one.", "reason": "access_required", "mode": "access_code"});
    let refusal = read(401, Some(&code)).unwrap();
    assert!(matches!(
        refusal,
        AccessRefusal::AccessRequired {
            mode: AccessMode::AccessCode,
            ..
        }
    ));
    assert!(refusal.message(0).contains("Access code"));
    assert!(refusal.blocks_generate(0));

    let sign_in =
        json!({"detail": "Sign in first.", "reason": "access_required", "mode": "sign_in"});
    let refusal = read(401, Some(&sign_in)).unwrap();
    assert!(refusal
        .message(0)
        .starts_with("You must sign in to this site"));
    assert!(!refusal.message(0).contains("Access code"));
}

#[test]
fn a_reached_daily_budget_says_amounts_and_the_local_reset_time() {
    let refusal = read(402, Some(&budget_402("identity_daily"))).unwrap();
    let AccessRefusal::BudgetReached(budget) = &refusal else {
        panic!("not a budget: {refusal:?}");
    };
    assert_eq!(
        (budget.limit_cents, budget.spent_cents, budget.cost_cents),
        (500, 450, 80)
    );
    assert_eq!(
        refusal.message(60),
        "Budget reached: $4.50 of $5.00 spent today; resets at 01:00"
    );
    // West of UTC the reset falls on the evening before.
    assert_eq!(
        refusal.message(-300),
        "Budget reached: $4.50 of $5.00 spent today; resets at 19:00"
    );
}

#[test]
fn a_reached_monthly_budget_says_this_month() {
    let refusal = read(402, Some(&budget_402("global_monthly"))).unwrap();
    assert_eq!(
        refusal.message(0),
        "Budget reached: $4.50 of $5.00 spent this month; resets on 2026-12-07 at 00:00"
    );
}

#[test]
fn a_budget_blocks_generate_until_it_resets() {
    let refusal = read(402, Some(&budget_402("global_daily"))).unwrap();
    let resets = parse_utc("2026-12-07T00:00:00Z").unwrap();
    assert_eq!(resets, 1_796_601_600);
    assert!(refusal.blocks_generate(resets - 1));
    assert!(!refusal.blocks_generate(resets));
}

#[test]
fn a_store_that_is_down_is_shown_plainly_and_does_not_block() {
    let body = json!({"detail": "The studio's budget store cannot be reached, so it cannot start a job right now. Try again in a minute.", "reason": "state_unavailable"});
    let refusal = read(503, Some(&body)).unwrap();
    assert!(refusal
        .message(0)
        .starts_with("The studio's budget store cannot be reached"));
    assert!(!refusal.blocks_generate(0));
}

#[test]
fn other_answers_are_not_access_refusals() {
    // fal's own 401, the proxy's 403, a 503 from fal, a 402 without a budget.
    assert_eq!(read(401, Some(&json!({"detail": "Unauthorized"}))), None);
    assert_eq!(
        read(
            403,
            Some(&json!({"error": "request x was not submitted through this proxy by you"}))
        ),
        None
    );
    assert_eq!(
        read(
            503,
            Some(&json!({"detail": "busy", "error_type": "runner_scheduling_failure"}))
        ),
        None
    );
    assert_eq!(
        read(402, Some(&json!({"detail": "Payment required"}))),
        None
    );
    assert_eq!(read(401, Some(&json!("Unauthorized"))), None);
    assert_eq!(read(401, None), None);
}

#[test]
fn hostile_budgets_are_not_believed() {
    for bad in [
        json!({"budget": {"scope": "identity_daily", "limit_usd": -1, "spent_usd": 1, "resets_at": "2026-12-07T00:00:00Z"}}),
        json!({"budget": {"scope": "identity_daily", "limit_usd": 1e30, "spent_usd": 1, "resets_at": "2026-12-07T00:00:00Z"}}),
        json!({"budget": {"scope": "weekly", "limit_usd": 5, "spent_usd": 1, "resets_at": "2026-12-07T00:00:00Z"}}),
        json!({"budget": {"scope": "identity_daily", "limit_usd": 5, "spent_usd": 1, "resets_at": "2026-13-07T00:00:00Z"}}),
        json!({"budget": {"scope": "identity_daily", "limit_usd": 5, "spent_usd": 1, "resets_at": "2026-12-07T00:00:00+05:00"}}),
    ] {
        assert_eq!(read(402, Some(&bad)), None, "{bad}");
    }
    let long = json!({"reason": "state_unavailable", "detail": "x".repeat(10_000)});
    assert!(read(503, Some(&long)).unwrap().message(0).len() <= MAX_DETAIL);
}

#[test]
fn calendar_arithmetic_round_trips() {
    for days in [-1, 0, 59, 365, 11_016, 20_794, 2_932_896] {
        let (y, m, d) = civil_from_days(days);
        assert_eq!(days_from_civil(y, m, d), days);
    }
    assert_eq!(parse_utc("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(parse_utc("2024-02-29T12:30:15.250Z"), Some(1_709_209_815));
}
