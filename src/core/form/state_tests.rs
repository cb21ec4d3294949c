use super::*;
use crate::core::form::references::VideoLength;

fn file(name: &str, mime: &str) -> LocalFile {
    LocalFile {
        name: name.into(),
        size: 1_000,
        mime: mime.into(),
    }
}

#[test]
fn defaults_are_the_models() {
    let form = FormState::default();
    assert_eq!(form.request().input, R2vInput::default());
    assert!(form.request().uploads.is_empty());
    assert!(form.safety_checker);
    assert_eq!(form.duration_text(), "5");
}

#[test]
fn a_prompt_of_blanks_is_no_prompt() {
    let mut form = FormState::default();
    assert!(!form.has_prompt());
    form.prompt = " \n\t".into();
    assert!(!form.has_prompt());
    form.prompt = "A koala".into();
    assert!(form.has_prompt());
}

#[test]
fn request_keeps_list_order_with_upload_slots() {
    let mut form = FormState {
        prompt: "Image 1 meets Image 2".into(),
        negative_prompt: "blur".into(),
        seed_text: " 42 ".into(),
        ..FormState::default()
    };
    let cat = form.references.add_file(file("cat.png", "image/png"));
    form.references
        .add_file(file("notes.pdf", "application/pdf"));
    form.references
        .add_url("https://x.org/dog.jpg", ReferenceKind::Image);
    let clip = form.references.add_file(file("clip.mp4", "video/mp4"));

    let mut request = form.request();
    assert_eq!(
        request.input.reference_image_urls,
        vec!["", "https://x.org/dog.jpg"]
    );
    assert_eq!(request.input.reference_video_urls, vec![""]);
    assert_eq!(request.input.seed, Some(42));
    assert_eq!(request.input.negative_prompt.as_deref(), Some("blur"));
    let names: Vec<_> = request
        .uploads
        .iter()
        .map(|u| (u.file.name.as_str(), u.position, u.label.to_string()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("cat.png", 0, "Image 1".to_string()),
            ("clip.mp4", 0, "Video 1".to_string())
        ]
    );

    assert!(!request.is_ready());
    assert!(request.fill_upload(cat, "https://v3.fal.media/files/cat.png"));
    assert!(!request.fill_upload(cat, "https://again"), "already filled");
    assert!(request.fill_upload(clip, "https://v3.fal.media/files/clip.mp4"));
    assert!(request.is_ready());
    assert_eq!(
        request.input.reference_image_urls,
        vec![
            "https://v3.fal.media/files/cat.png",
            "https://x.org/dog.jpg"
        ]
    );
    assert_eq!(
        request.input.reference_video_urls,
        vec!["https://v3.fal.media/files/clip.mp4"]
    );
}

#[test]
fn an_empty_negative_prompt_and_seed_are_omitted() {
    let form = FormState {
        prompt: "p".into(),
        seed_text: "".into(),
        ..FormState::default()
    };
    let input = form.request().input;
    assert_eq!(input.negative_prompt, None);
    assert_eq!(input.seed, None);
}

#[test]
fn cost_counts_numbered_videos_by_label() {
    let mut form = FormState::default();
    let a = form.references.add_file(file("a.mp4", "video/mp4"));
    let bad = form.references.add_file(file("bad.mp4", "video/mp4"));
    let b = form
        .references
        .add_url("https://x.org/b.mp4", ReferenceKind::Video);
    form.references.add_file(file("i.png", "image/png"));
    form.references
        .set_video_length(a, VideoLength::Known { millis: 8_200 });
    form.references.refuse_unreadable_video(bad, "damaged");
    form.references.set_video_length(b, VideoLength::Unknown);

    let cost = form.cost();
    assert_eq!(
        cost.arithmetic(),
        "5 s output + 8.2 s of reference video = 13.2 s × $0.10 = $1.32"
    );
    assert_eq!(cost.headline(), "At least $1.32");
    assert!(cost.unpriced_notes()[0].starts_with("Video 2: length unknown"));

    form.references
        .set_video_length(b, VideoLength::Known { millis: 4_000 });
    form.set_duration(DurationSeconds::new(10).unwrap());
    assert_eq!(
        form.cost().arithmetic(),
        "10 s output + 12.2 s of reference video = 22.2 s × $0.10 = $2.22"
    );
}

#[test]
fn labels_insert_at_the_cursor() {
    let mut form = FormState {
        prompt: "🎬 walks".into(),
        ..FormState::default()
    };
    let img = form.references.add_file(file("a.png", "image/png"));
    let pdf = form.references.add_file(file("a.pdf", "application/pdf"));
    assert_eq!(form.insert_reference_label(img, 1, 1), Some(9));
    assert_eq!(form.prompt, "🎬 Image 1 walks");
    assert_eq!(form.insert_reference_label(pdf, 0, 0), None);
    assert_eq!(form.prompt, "🎬 Image 1 walks");
}

#[test]
fn duration_box_and_slider_stay_in_step() {
    let mut form = FormState::default();
    form.type_duration("8");
    assert_eq!(
        (form.duration.seconds(), form.duration_text()),
        (8, "8".into())
    );
    form.type_duration("12");
    assert_eq!(
        form.duration.seconds(),
        8,
        "an invalid box keeps the last valid value"
    );
    assert_eq!(form.duration_text(), "12");
    form.set_duration(DurationSeconds::new(3).unwrap());
    assert_eq!(form.duration_text(), "3");
    assert_eq!(form.duration_draft, None);
    form.type_duration("");
    assert_eq!(form.duration_draft.as_deref(), Some(""));
}

#[test]
fn seeds_roll_in_range_and_unlocked_seeds_are_used_once() {
    let mut form = FormState::default();
    form.roll_seed(u32::MAX);
    assert_eq!(form.seed_text, "2147483647");
    form.roll_seed(0);
    assert_eq!(form.seed_text, "0");
    form.roll_seed(0x8000_0001);
    assert_eq!(form.seed_text, "1");

    form.after_submit();
    assert_eq!(form.seed_text, "", "unlocked: cleared after Generate");

    form.seed_text = "77".into();
    form.seed_locked = true;
    form.after_submit();
    assert_eq!(form.seed_text, "77", "locked: kept");
}
