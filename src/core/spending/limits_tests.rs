//! Tests for [`super`].

use super::*;

fn spent(today_cents: u64) -> SpendTotals {
    SpendTotals {
        today_cents,
        month_cents: today_cents,
    }
}

#[test]
fn by_default_runs_over_two_dollars_ask_first() {
    let limits = SpendingLimits::default();
    assert_eq!(limits.verdict(spent(0), 200), SpendVerdict::Go);
    assert_eq!(
        limits.verdict(spent(0), 250),
        SpendVerdict::Confirm(
            "This run costs $2.50, over your $2.00 confirmation threshold. Start it?".into()
        )
    );
}

#[test]
fn the_cap_names_itself_and_what_was_spent() {
    let limits = SpendingLimits {
        daily_cap_cents: Some(500),
        ..SpendingLimits::default()
    };
    assert_eq!(limits.verdict(spent(450), 50), SpendVerdict::Go);
    let SpendVerdict::Capped(message) = limits.verdict(spent(450), 80) else {
        panic!("not capped");
    };
    assert!(
        message.starts_with(
            "Daily spending cap $5.00 reached: $4.50 spent today, and this run costs $0.80."
        ),
        "{message}"
    );
    let SpendVerdict::Capped(message) = limits.verdict(spent(520), 10) else {
        panic!("not capped");
    };
    assert!(
        message.starts_with("Daily spending cap $5.00 reached: $5.20 spent today."),
        "{message}"
    );
}

#[test]
fn the_cap_wins_over_the_confirmation() {
    let limits = SpendingLimits {
        daily_cap_cents: Some(100),
        confirm_over_cents: 50,
    };
    assert!(matches!(
        limits.verdict(spent(0), 300),
        SpendVerdict::Capped(_)
    ));
}

#[test]
fn amounts_parse_as_dollars() {
    assert_eq!(parse_dollars(""), Ok(None));
    assert_eq!(parse_dollars(" $5 "), Ok(Some(500)));
    assert_eq!(parse_dollars("2.5"), Ok(Some(250)));
    assert_eq!(parse_dollars("0.07"), Ok(Some(7)));
    assert_eq!(parse_dollars(".5"), Ok(Some(50)));
    for bad in ["-1", "1.234", "abc", "1e3", "5 USD", ".", "1,5", "100001"] {
        assert!(parse_dollars(bad).is_err(), "{bad}");
    }
}

#[test]
fn stored_settings_round_trip_and_bad_ones_are_the_defaults() {
    let limits = SpendingLimits {
        daily_cap_cents: Some(1000),
        confirm_over_cents: 300,
    };
    assert_eq!(SpendingLimits::from_stored(&limits.to_stored()), limits);
    assert_eq!(
        SpendingLimits::from_stored("not json"),
        SpendingLimits::default()
    );
    assert_eq!(SpendingLimits::from_stored("{}"), SpendingLimits::default());
    assert_eq!(
        SpendingLimits::from_stored(r#"{"confirm_over_cents": 99999999999}"#),
        SpendingLimits::default()
    );
}

#[test]
fn a_batch_asks_once_for_its_total() {
    let limits = SpendingLimits::default();
    let SpendVerdict::Confirm(question) = limits.verdict_for(spent(0), 300, 6) else {
        panic!("$3.00 is over the default threshold");
    };
    assert_eq!(
        question,
        "This batch of 6 runs costs $3.00, over your $2.00 confirmation threshold. Start it?"
    );
    assert_eq!(limits.verdict_for(spent(0), 150, 3), SpendVerdict::Go);
}

#[test]
fn the_fields_give_limits_only_when_both_read() {
    assert_eq!(
        SpendingLimits::from_fields("", ""),
        Some(SpendingLimits {
            daily_cap_cents: None,
            confirm_over_cents: DEFAULT_CONFIRM_OVER_CENTS
        })
    );
    assert_eq!(
        SpendingLimits::from_fields("$5", "1.50"),
        Some(SpendingLimits {
            daily_cap_cents: Some(500),
            confirm_over_cents: 150
        })
    );
    assert_eq!(SpendingLimits::from_fields("5x", "1"), None);
    assert_eq!(SpendingLimits::from_fields("5", "one"), None);
}
