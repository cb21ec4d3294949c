use super::*;
use crate::core::form::state::FormState;
use crate::core::form::validation::FormField;

fn video(name: &str, size: u64) -> LocalFile {
    LocalFile {
        name: name.into(),
        size,
        mime: "video/mp4".into(),
    }
}

fn range(start_tenths: u32, end_tenths: u32) -> TrimRange {
    TrimRange {
        start_tenths,
        end_tenths,
    }
}

/// A cut as the planner reports one: 3.0–6.0 s of a 30-second clip.
fn planned(start_millis: u64, end_millis: u64, bytes: u64) -> PlannedTrim {
    PlannedTrim {
        start_millis,
        end_millis,
        bytes,
        snap_note: None,
    }
}

fn form_with_clip(size: u64) -> (FormState, ReferenceId) {
    let mut form = FormState {
        prompt: "Video 1 dances".into(),
        ..FormState::default()
    };
    let id = form.references.add_file(video("dance.mp4", size));
    form.references
        .set_video_length(id, VideoLength::Known { millis: 30_000 });
    (form, id)
}

#[test]
fn the_estimate_bills_the_trimmed_length() {
    let (mut form, id) = form_with_clip(8_000_000);
    assert_eq!(form.cost().headline(), "$3.50");
    form.references.set_trim(
        id,
        Some(Trim {
            range: range(30, 60),
            outcome: Ok(planned(3_000, 6_000, 900_000)),
        }),
    );
    assert_eq!(
        form.cost().arithmetic(),
        "5 s output + 3 s of reference video = 8 s × $0.10 = $0.80"
    );
    let trim = form.references.get(id).unwrap().trim.clone().unwrap();
    assert_eq!(
        trim.outcome.unwrap().details(),
        "Trimmed to 3.0\u{2013}6.0 s (3.0 s billed)"
    );
    // A start moved back to a keyframe is billed from there.
    form.references.set_trim(
        id,
        Some(Trim {
            range: range(25, 60),
            outcome: Ok(planned(2_000, 6_000, 1_200_000)),
        }),
    );
    assert_eq!(form.cost().headline(), "$0.90");
    form.references.set_trim(id, None);
    assert_eq!(form.cost().headline(), "$3.50");
}

#[test]
fn a_trimmed_video_is_uploaded_once_per_range() {
    let (mut form, id) = form_with_clip(8_000_000);
    let original = video("dance.mp4", 8_000_000);
    let cut = Trim {
        range: range(30, 60),
        outcome: Ok(planned(3_000, 6_000, 900_000)),
    };
    form.references.set_trim(id, Some(cut.clone()));
    let request = form.request();
    assert_eq!(request.uploads.len(), 1);
    assert_eq!(request.uploads[0].trim, Some(range(30, 60)));
    assert_eq!(request.uploads[0].file, original, "the original stays");
    assert_eq!(cut.file_name("dance.mp4"), "dance-trim-3.0-6.0.mp4");
    assert_eq!(
        request.trims,
        vec![SentTrim {
            position: 0,
            original: "dance.mp4".into(),
            start_seconds: 3.0,
            end_seconds: 6.0
        }]
    );

    let url = "https://v3.fal.media/files/dance-trim-3.0-6.0.mp4";
    assert!(form
        .references
        .record_trim_upload(id, &original, range(30, 60), url));
    let again = form.request();
    assert!(again.uploads.is_empty(), "same original, same range");
    assert_eq!(again.input.reference_video_urls, vec![url]);
    assert_eq!(again.trims.len(), 1);

    // Another range is another file; going back reuses the first.
    form.references.set_trim(
        id,
        Some(Trim {
            range: range(40, 60),
            outcome: Ok(planned(4_000, 6_000, 600_000)),
        }),
    );
    assert_eq!(form.request().uploads.len(), 1);
    form.references.set_trim(id, Some(cut));
    assert!(form.request().uploads.is_empty());
    // Untrimmed, the whole original is what would go.
    form.references.set_trim(id, None);
    assert_eq!(form.request().uploads[0].trim, None);

    // Another file in the entry's place forgets the old file's trims.
    let other = video("other.mp4", 5_000);
    assert!(form.references.replace_with_file(id, other.clone()));
    assert!(form.references.get(id).unwrap().trim_uploads.is_empty());
    assert!(!form
        .references
        .record_trim_upload(id, &original, range(30, 60), url));
}

#[test]
fn originals_over_the_limit_need_a_trim_that_fits() {
    let (mut form, id) = form_with_clip(300_000_000);
    let field = FormField::Reference(id);
    let message = |form: &FormState| {
        form.validate()
            .for_field(field)
            .map(|i| (i.severity, i.message.clone()))
    };
    assert!(form.references.get(id).unwrap().refusal.is_none());
    assert_eq!(
        message(&form).unwrap().1,
        "This video is 300 MB; fal accepts videos up to 100 MB. Trim it to send a part of it."
    );
    assert!(!form.validate().is_sendable());

    form.references.set_trim(
        id,
        Some(Trim {
            range: range(0, 250),
            outcome: Ok(planned(0, 25_000, 250_000_000)),
        }),
    );
    assert_eq!(
        message(&form).unwrap().1,
        "The trimmed video is 250 MB; fal accepts videos up to 100 MB. Shorten the range."
    );
    form.references.set_trim(
        id,
        Some(Trim {
            range: range(0, 50),
            outcome: Ok(planned(0, 5_000, 50_000_000)),
        }),
    );
    assert_eq!(message(&form), None);
    assert!(form.validate().is_sendable());

    form.references.set_trim(
        id,
        Some(Trim {
            range: range(60, 30),
            outcome: Err("End must be after Start.".into()),
        }),
    );
    assert_eq!(message(&form).unwrap().1, "End must be after Start.");
}

#[test]
fn only_local_unrefused_videos_take_a_trim() {
    let mut form = FormState::default();
    let link = form
        .references
        .add_url("https://x.org/a.mp4", ReferenceKind::Video);
    let image = form.references.add_file(LocalFile {
        name: "a.png".into(),
        size: 10,
        mime: "image/png".into(),
    });
    let cut = Trim {
        range: range(0, 10),
        outcome: Ok(planned(0, 1_000, 10)),
    };
    for id in [link, image] {
        form.references.set_trim(id, Some(cut.clone()));
        assert_eq!(form.references.get(id).unwrap().trim, None);
    }
}

#[test]
fn fields_read_tenths_of_a_second() {
    assert_eq!(parse_seconds_field(" 3.0 "), Ok(30));
    assert_eq!(parse_seconds_field("2.54"), Ok(25));
    assert_eq!(parse_seconds_field("0"), Ok(0));
    assert!(parse_seconds_field("-1").is_err());
    assert!(parse_seconds_field("abc").unwrap_err().contains("abc"));
    assert!(parse_seconds_field("NaN").is_err());
    assert!(parse_seconds_field("1e300").is_err());
    assert_eq!(TrimRange::whole(30.0), range(0, 300));
    assert_eq!(TrimRange::whole(12.345), range(0, 123));
    assert_eq!(TrimRange::whole(0.02), range(0, 1));
}
