//! A trim's Start or End field read as tenths of a second, by exact decimal
//! arithmetic instead of `str::parse::<f64>`: the standard float parser
//! brings a 19 KB table of powers of five into the wasm (about 15 KB of
//! the first load after brotli, which hardly compresses it), and the field
//! only ever needs tenths. It accepts what the float parser accepts (what a
//! number input hands over: `3`, `2.54`, `.5`, `1e2`, `+4`, and `NaN` or
//! `inf`, refused as not a usable number of seconds) and rounds half away
//! from zero, as `f64::round` did on the parsed value.

/// Beyond this, no video's end: 100 hours.
const MAX_SECONDS: u64 = 360_000;

/// What a Start or End field holds, as tenths of a second; the message
/// says what is wrong for the field.
pub fn parse_seconds_field(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let not_a_number = || format!("\u{201c}{text}\u{201d} is not a number of seconds.");
    let from_zero = || Err("Use a number of seconds from 0.".to_string());
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if ["inf", "infinity", "nan"]
        .iter()
        .any(|word| unsigned.eq_ignore_ascii_case(word))
    {
        return from_zero();
    }
    let decimal = Decimal::read(unsigned).ok_or_else(not_a_number)?;
    if decimal.is_zero() {
        return Ok(0);
    }
    if negative {
        return from_zero();
    }
    let tenths = decimal
        .rounded_tenths()
        .filter(|tenths| *tenths <= MAX_SECONDS * 10 && !decimal.exceeds(MAX_SECONDS))
        .ok_or_else(|| "That is past any video's end.".to_string())?;
    Ok(tenths as u32)
}

/// A non-negative decimal: `digits` (no leading zeros) × 10^`exponent`.
struct Decimal {
    digits: Vec<u8>,
    exponent: i64,
}

impl Decimal {
    /// `12.5`, `.5`, `5.`, `1e2`, `1.5E-3`; `None` for anything else.
    fn read(text: &str) -> Option<Self> {
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(at) => (&text[..at], read_exponent(&text[at + 1..])?),
            None => (text, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !is_digits(whole) || !is_digits(fraction) {
            return None;
        }
        let digits: Vec<u8> = whole
            .bytes()
            .chain(fraction.bytes())
            .skip_while(|b| *b == b'0')
            .map(|b| b - b'0')
            .collect();
        Some(Self {
            digits,
            exponent: exponent - fraction.len() as i64,
        })
    }

    fn is_zero(&self) -> bool {
        self.digits.iter().all(|d| *d == 0)
    }

    /// How many digits stand before the decimal point.
    fn whole_digits(&self) -> i64 {
        self.digits.len() as i64 + self.exponent
    }

    /// Whether the value is more than `limit`.
    fn exceeds(&self, limit: u64) -> bool {
        let limit_digits = limit.to_string().len() as i64;
        match self.whole_digits().cmp(&limit_digits) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => {
                let whole = self.digits_before(self.whole_digits());
                whole > limit
                    || (whole == limit
                        && self
                            .digits
                            .iter()
                            .skip(limit_digits as usize)
                            .any(|d| *d != 0))
            }
        }
    }

    /// The value in tenths, rounded half away from zero; `None` when it
    /// has more than 18 digits (far past any limit here).
    fn rounded_tenths(&self) -> Option<u64> {
        let tenth_digits = self.whole_digits() + 1;
        if tenth_digits > 18 {
            return None;
        }
        let truncated = self.digits_before(tenth_digits);
        let next = usize::try_from(tenth_digits)
            .ok()
            .and_then(|at| self.digits.get(at))
            .copied()
            .unwrap_or(0);
        Some(truncated + u64::from(next >= 5))
    }

    /// The number made of the value's first `count` digits (zeros past the
    /// last one); 0 when `count` is not positive.
    fn digits_before(&self, count: i64) -> u64 {
        (0..count.max(0) as usize).fold(0, |n, at| {
            n * 10 + u64::from(self.digits.get(at).copied().unwrap_or(0))
        })
    }
}

/// An exponent after `e`: optional sign, then digits. Values beyond any
/// use are capped so the arithmetic stays in range (`1e999999999999` is as
/// far past the limit as `1e400`).
fn read_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = digits
        .bytes()
        .fold(0i64, |n, b| (n * 10 + i64::from(b - b'0')).min(1_000_000));
    Some(if negative { -value } else { value })
}

#[cfg(test)]
#[path = "seconds_field_tests.rs"]
mod tests;
