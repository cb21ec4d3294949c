//! Dollar amounts as the deployer writes them (`20`, `12.50`, `$5`) and as
//! the budget counts them: whole US cents, so sums never drift. fal bills
//! $0.10 a second in tenths of a second, so a run's cost is always whole
//! cents (`wan_r2v_studio::core::model::pricing`).

/// Whole US cents.
pub type Cents = u64;

/// The largest budget accepted: $10,000,000, far above any real cap, so a
/// typo with extra digits is caught rather than read as "no limit".
const MAX_CENTS: Cents = 1_000_000_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an amount in US dollars such as 20 or 12.50")]
pub struct NotAnAmount(pub String);

/// Parses `20`, `12.5`, `12.50` or `$12.50` into cents. More than two
/// decimals, signs, exponents and amounts over $10,000,000 are refused.
pub fn parse_usd(text: &str) -> Result<Cents, NotAnAmount> {
    let refuse = || NotAnAmount(text.to_owned());
    let trimmed = text.trim();
    let number = trimmed.strip_prefix('$').unwrap_or(trimmed);
    let (whole, fraction) = match number.split_once('.') {
        Some((_, "")) => return Err(refuse()),
        Some(parts) => parts,
        None => (number, ""),
    };
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
        return Err(refuse());
    }
    if whole.len() > 8 {
        return Err(refuse());
    }
    let whole: Cents = whole.parse().map_err(|_| refuse())?;
    let fraction: Cents = format!("{fraction:0<2}").parse().map_err(|_| refuse())?;
    let cents = whole * 100 + fraction;
    (cents <= MAX_CENTS).then_some(cents).ok_or_else(refuse)
}

/// Cents as a JSON number of dollars (`80` → `0.8`).
pub fn dollars(cents: Cents) -> f64 {
    cents as f64 / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dollars_and_cents() {
        assert_eq!(parse_usd("20"), Ok(2000));
        assert_eq!(parse_usd("12.5"), Ok(1250));
        assert_eq!(parse_usd(" $12.05 "), Ok(1205));
        assert_eq!(parse_usd("0"), Ok(0));
        assert_eq!(parse_usd("0.80"), Ok(80));
        assert_eq!(dollars(80), 0.8);
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for bad in [
            "",
            "abc",
            "-5",
            "+5",
            "1e3",
            "12.345",
            ".5",
            "5.",
            "1,000",
            "$",
            "99999999999",
        ] {
            let got = parse_usd(bad);
            assert!(got.is_err(), "{bad:?} gave {got:?}");
        }
    }
}
