use super::*;
use crate::core::model::issues::Severity;

fn input(prompt: &str) -> R2vInput {
    R2vInput {
        prompt: prompt.into(),
        ..R2vInput::default()
    }
}

#[test]
fn a_plain_prompt_is_sendable() {
    let v = input("Image 1 dances in the rain").validate();
    assert!(v.is_sendable(), "{v:?}");
    assert!(v.issues.is_empty());
}

#[test]
fn prompt_is_required() {
    for prompt in ["", "   \n\t"] {
        let v = input(prompt).validate();
        assert!(!v.is_sendable());
        assert!(v
            .for_field(Field::Prompt)
            .unwrap()
            .message
            .contains("required"));
    }
}

#[test]
fn prompt_limit_counts_code_points_like_python() {
    // "é" is 2 bytes and "🎬" 4 bytes in UTF-8, but one character each in Python.
    let at_limit = "é".repeat(4999) + "🎬";
    assert_eq!(char_count(&at_limit), 5000);
    assert!(at_limit.len() > 5000);
    assert!(input(&at_limit).validate().is_sendable());

    let over = at_limit + "x";
    let issue = input(&over)
        .validate()
        .for_field(Field::Prompt)
        .cloned()
        .unwrap();
    assert_eq!(issue.severity, Severity::Error);
    assert!(
        issue.message.contains("5001 characters"),
        "{}",
        issue.message
    );
    assert!(issue.message.contains("Remove 1"));
}

#[test]
fn negative_prompt_limit_is_500() {
    let mut i = input("p");
    i.negative_prompt = Some("n".repeat(500));
    assert!(i.validate().is_sendable());
    i.negative_prompt = Some("n".repeat(501));
    let v = i.validate();
    assert!(!v.is_sendable());
    assert!(v
        .for_field(Field::NegativePrompt)
        .unwrap()
        .message
        .contains("501"));
}

#[test]
fn seed_range_is_0_to_2147483647() {
    for ok in [0, 42, 2_147_483_647] {
        let mut i = input("p");
        i.seed = Some(ok);
        assert!(i.validate().is_sendable(), "seed {ok}");
    }
    for bad in [-1, 2_147_483_648, i64::MAX] {
        let mut i = input("p");
        i.seed = Some(bad);
        assert!(i.validate().for_field(Field::Seed).is_some(), "seed {bad}");
    }
}

#[test]
fn parses_typed_seeds() {
    assert_eq!(parse_seed("  "), Ok(None));
    assert_eq!(parse_seed(" 17 "), Ok(Some(17)));
    assert!(parse_seed("1.5").is_err());
    assert!(parse_seed("abc").is_err());
    assert!(parse_seed("-3").is_err());
    assert!(parse_seed("99999999999999999999").is_err());
}

#[test]
fn reference_urls_must_be_http_or_https() {
    let mut i = input("p");
    i.reference_image_urls = vec![
        "https://v3.fal.media/files/a.png".into(),
        "javascript:alert(1)".into(),
        "file:///home/me/cat.png".into(),
        "cat.png".into(),
        "".into(),
    ];
    i.reference_video_urls = vec![
        "data:video/mp4;base64,AAAA".into(),
        "http://x.org/v.mp4".into(),
    ];
    let v = i.validate();
    assert!(v.for_field(Field::ReferenceImage(0)).is_none());
    assert!(v
        .for_field(Field::ReferenceImage(1))
        .unwrap()
        .message
        .starts_with("javascript:"));
    assert!(v
        .for_field(Field::ReferenceImage(2))
        .unwrap()
        .message
        .starts_with("file:"));
    assert!(v
        .for_field(Field::ReferenceImage(3))
        .unwrap()
        .message
        .contains("full web address"));
    assert!(v
        .for_field(Field::ReferenceImage(4))
        .unwrap()
        .message
        .contains("Enter the image's URL"));
    assert!(v
        .for_field(Field::ReferenceVideo(0))
        .unwrap()
        .message
        .contains("video"));
    assert!(v.for_field(Field::ReferenceVideo(1)).is_none());
}

#[test]
fn sizes_are_checked_when_known() {
    let mut i = input("p");
    i.reference_image_urls = vec!["https://a/1.png".into(), "https://a/2.png".into()];
    i.reference_video_urls = vec!["https://a/1.mp4".into(), "https://a/2.mp4".into()];
    let sizes = KnownSizes {
        images: vec![Some(20_000_000), Some(23_400_000)],
        videos: vec![None, Some(100_000_001)],
    };
    let v = i.validate_with_sizes(&sizes);
    assert!(v.for_field(Field::ReferenceImage(0)).is_none());
    assert_eq!(
        v.for_field(Field::ReferenceImage(1)).unwrap().message,
        "This image is 23.4 MB; fal accepts images up to 20 MB."
    );
    assert!(v.for_field(Field::ReferenceVideo(0)).is_none());
    assert!(v
        .for_field(Field::ReferenceVideo(1))
        .unwrap()
        .message
        .contains("up to 100 MB"));
    assert!(i.validate().is_sendable(), "unknown sizes are not errors");
}

#[test]
fn more_than_five_references_is_a_warning_not_an_error() {
    let mut i = input("p");
    i.reference_image_urls = (0..3).map(|n| format!("https://a/{n}.png")).collect();
    i.reference_video_urls = (0..2).map(|n| format!("https://a/{n}.mp4")).collect();
    assert!(i.validate().issues.is_empty());
    i.reference_video_urls.push("https://a/9.mp4".into());
    let v = i.validate();
    assert!(v.is_sendable());
    let w = v.for_field(Field::References).unwrap();
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.message.starts_with("6 references"));
}
