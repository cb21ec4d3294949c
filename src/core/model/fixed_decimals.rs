//! A number with a fixed count of decimals ("12.3", "4.50"), written
//! exactly as `format!("{:.N}")` writes it (the binary value's exact
//! decimal expansion, a tie rounded to even, the sign of a negative zero
//! kept), by integer arithmetic. Formatting an `f64` through `core::fmt`
//! brings its float printer (Grisu with a Dragon fallback on big integers,
//! about 10 KB) into the wasm; the studio needs only a few fixed decimals.

/// `value` with `decimals` digits after the point (at most 9).
pub fn fixed(value: f64, decimals: u32) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    let sign = if value.is_sign_negative() { "-" } else { "" };
    if value.is_infinite() {
        return format!("{sign}inf");
    }
    let decimals = decimals.min(9);
    let digits = scaled_digits(value.abs(), decimals);
    let decimals = decimals as usize;
    let digits = format!("{digits:0>width$}", width = decimals + 1);
    let (whole, fraction) = digits.split_at(digits.len() - decimals);
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

/// The decimal digits of `value × 10^decimals`, rounded to the nearest
/// integer, a tie to even; `value` is finite and not negative.
fn scaled_digits(value: f64, decimals: u32) -> String {
    let bits = value.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // value = mantissa × 2^power, exactly.
    let (mantissa, power) = if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), exponent - 1075)
    };
    // Below 2^53 × 10^9 < 2^83: fits a u128 with room to spare.
    let scaled = u128::from(mantissa) * 10u128.pow(decimals);
    if power >= 0 {
        return doubled(scaled, power as u32);
    }
    let shift = power.unsigned_abs();
    if shift >= 100 {
        // scaled < 2^83 ≤ 2^(shift - 1): under a half, so it rounds to 0.
        return "0".into();
    }
    let whole = scaled >> shift;
    let rest = scaled & ((1u128 << shift) - 1);
    let half = 1u128 << (shift - 1);
    let up = rest > half || (rest == half && whole % 2 == 1);
    (whole + u128::from(up)).to_string()
}

/// `n × 2^times` in decimal digits, however large (an `f64` reaches 2^1024).
fn doubled(n: u128, times: u32) -> String {
    // Little-endian base-10^9 limbs.
    let mut limbs = vec![];
    let mut rest = n;
    while rest > 0 || limbs.is_empty() {
        limbs.push((rest % 1_000_000_000) as u64);
        rest /= 1_000_000_000;
    }
    for _ in 0..times {
        let mut carry = 0;
        for limb in &mut limbs {
            let value = *limb * 2 + carry;
            *limb = value % 1_000_000_000;
            carry = value / 1_000_000_000;
        }
        if carry > 0 {
            limbs.push(carry);
        }
    }
    let mut text = limbs.last().map(u64::to_string).unwrap_or_default();
    for limb in limbs.iter().rev().skip(1) {
        text.push_str(&format!("{limb:09}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::fixed;

    #[test]
    fn writes_what_the_float_formatter_writes() {
        let mut values = vec![
            0.0,
            -0.0,
            0.05,
            0.15,
            0.25,
            0.35,
            0.5,
            1.5,
            2.5,
            2.675,
            12.345,
            999.95,
            1e-300,
            5e-324,
            1e15,
            1e22,
            1e300,
            f64::MAX,
            123456.789,
            0.1 + 0.2,
            -3.25159,
            -0.004,
        ];
        // A fixed pseudo-random walk over the bit patterns of finite values.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let value = f64::from_bits(state >> 1);
            if value.is_finite() {
                values.push(value);
                values.push(value.fract() * 1000.0);
            }
        }
        for thousandths in 0..20_000 {
            values.push(f64::from(thousandths) / 1000.0);
        }
        for value in values {
            for decimals in 0..=3 {
                let expected = format!("{value:.prec$}", prec = decimals as usize);
                assert_eq!(fixed(value, decimals), expected, "{value:e} to {decimals}");
            }
        }
    }

    #[test]
    fn names_what_is_not_a_number() {
        assert_eq!(fixed(f64::NAN, 1), "NaN");
        assert_eq!(fixed(f64::INFINITY, 1), "inf");
        assert_eq!(fixed(f64::NEG_INFINITY, 2), "-inf");
    }
}
