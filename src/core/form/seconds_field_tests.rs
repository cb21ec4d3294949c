use super::parse_seconds_field;

/// What the field read before it stopped using the float parser.
fn by_float(text: &str) -> Result<u32, ()> {
    let seconds: f64 = text.trim().parse().map_err(|_| ())?;
    if !seconds.is_finite() || !(0.0..=360_000.0).contains(&seconds) {
        return Err(());
    }
    Ok((seconds * 10.0).round() as u32)
}

#[test]
fn reads_what_a_number_input_hands_over() {
    assert_eq!(parse_seconds_field("3"), Ok(30));
    assert_eq!(parse_seconds_field(" 3.0 "), Ok(30));
    assert_eq!(parse_seconds_field("2.54"), Ok(25));
    assert_eq!(parse_seconds_field("2.55"), Ok(26));
    assert_eq!(parse_seconds_field(".5"), Ok(5));
    assert_eq!(parse_seconds_field("5."), Ok(50));
    assert_eq!(parse_seconds_field("+4"), Ok(40));
    assert_eq!(parse_seconds_field("1e2"), Ok(1000));
    assert_eq!(parse_seconds_field("15E-1"), Ok(15));
    assert_eq!(parse_seconds_field("0.04"), Ok(0));
    assert_eq!(parse_seconds_field("0.05"), Ok(1));
    assert_eq!(parse_seconds_field("0.000"), Ok(0));
    assert_eq!(parse_seconds_field("-0"), Ok(0));
    assert_eq!(parse_seconds_field("0042.10"), Ok(421));
    assert_eq!(parse_seconds_field("360000"), Ok(3_600_000));
}

#[test]
fn refuses_with_the_message_for_the_field() {
    let not_a_number = "\u{201c}abc\u{201d} is not a number of seconds.";
    assert_eq!(parse_seconds_field("abc"), Err(not_a_number.to_string()));
    for text in [
        "", ".", "-", "e5", "1e", "1e+", "1.2.3", "1,5", "1_0", "0x10", "+-1", "٣",
    ] {
        let message = parse_seconds_field(text).unwrap_err();
        assert!(
            message.ends_with("is not a number of seconds."),
            "{text}: {message}"
        );
    }
    for text in ["-1", "-0.1", "NaN", "inf", "-Infinity", "nan"] {
        assert_eq!(
            parse_seconds_field(text),
            Err("Use a number of seconds from 0.".to_string()),
            "{text}"
        );
    }
    for text in [
        "360000.04",
        "360001",
        "1e300",
        "1e999999999999",
        "99999999999999999999999",
    ] {
        assert_eq!(
            parse_seconds_field(text),
            Err("That is past any video's end.".to_string()),
            "{text}"
        );
    }
}

/// Every value with up to three decimals up to 40 s, written the ways a
/// number input writes them, reads as the float parser read it.
#[test]
fn agrees_with_the_float_parser() {
    for thousandths in 0..40_000u32 {
        let (whole, fraction) = (thousandths / 1000, thousandths % 1000);
        for text in [
            format!("{whole}.{fraction:03}"),
            format!("{}", f64::from(thousandths) / 1000.0),
            format!("{}e-3", thousandths),
        ] {
            assert_eq!(
                parse_seconds_field(&text).ok(),
                by_float(&text).ok(),
                "{text}"
            );
        }
    }
    for text in [
        "359999.96",
        "123456.789",
        "7e4",
        "0.95",
        "1.25",
        "2.35",
        "1e-7",
    ] {
        assert_eq!(
            parse_seconds_field(text).ok(),
            by_float(text).ok(),
            "{text}"
        );
    }
}
