//! Tests for `references.rs`: labels per kind in list order, through
//! removes, moves, refusals and files added again.

use super::*;

fn file(name: &str, size: u64, mime: &str) -> LocalFile {
    LocalFile {
        name: name.into(),
        size,
        mime: mime.into(),
    }
}

fn labels(refs: &References) -> Vec<(String, Option<String>)> {
    refs.labelled()
        .map(|(r, l)| (r.display_name().to_string(), l.map(|l| l.to_string())))
        .collect()
}

#[test]
fn images_and_videos_are_numbered_separately_in_list_order() {
    let mut refs = References::default();
    refs.add_file(file("a.png", 10, "image/png"));
    refs.add_file(file("b.mp4", 10, "video/mp4"));
    refs.add_url("https://x.org/c.jpg", ReferenceKind::Image);
    refs.add_file(file("d.mov", 10, "video/quicktime"));
    assert_eq!(
        labels(&refs),
        vec![
            ("a.png".into(), Some("Image 1".into())),
            ("b.mp4".into(), Some("Video 1".into())),
            ("https://x.org/c.jpg".into(), Some("Image 2".into())),
            ("d.mov".into(), Some("Video 2".into())),
        ]
    );
}

#[test]
fn labels_follow_removes_and_reorders() {
    let mut refs = References::default();
    let a = refs.add_file(file("a.png", 10, "image/png"));
    let b = refs.add_file(file("b.png", 10, "image/png"));
    let c = refs.add_file(file("c.png", 10, "image/png"));
    let v = refs.add_file(file("v.mp4", 10, "video/mp4"));

    assert!(refs.remove(a).is_some());
    assert_eq!(refs.label(b).unwrap().to_string(), "Image 1");
    assert_eq!(refs.label(c).unwrap().to_string(), "Image 2");

    assert!(refs.move_up(c));
    assert_eq!(refs.label(c).unwrap().to_string(), "Image 1");
    assert_eq!(refs.label(b).unwrap().to_string(), "Image 2");

    // Moving a video past images changes nobody's number.
    assert!(refs.move_up(v));
    assert_eq!(refs.label(v).unwrap().to_string(), "Video 1");
    assert_eq!(refs.label(b).unwrap().to_string(), "Image 2");

    assert!(!refs.move_up(c), "already at the top");
    assert!(refs.move_down(c));
    assert_eq!(
        refs.items().iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![v, c, b]
    );
    assert!(!refs.move_down(b), "already at the bottom");
    assert!(refs.remove(a).is_none(), "already removed");
    assert_eq!(refs.label(a), None);
}

#[test]
fn refused_files_stay_listed_without_a_number() {
    let mut refs = References::default();
    let pdf = refs.add_file(file("notes.pdf", 10, "application/pdf"));
    let big = refs.add_file(file("huge.png", 20_000_001, "image/png"));
    let ok = refs.add_file(file("ok.png", 20_000_000, "image/png"));
    let big_video = refs.add_file(file("long.mp4", 100_000_001, "video/mp4"));

    assert_eq!(refs.label(pdf), None);
    assert_eq!(refs.label(big), None);
    assert_eq!(refs.label(ok).unwrap().to_string(), "Image 1");
    // A video over fal's limit is kept, numbered, for trimming: the form
    // asks for a trim before Generate (core/form/trim.rs).
    assert_eq!(refs.label(big_video).unwrap().to_string(), "Video 1");
    assert_eq!(
        refs.get(big_video).unwrap().length,
        Some(VideoLength::Reading)
    );
    assert_eq!(
        refs.get(pdf).unwrap().refusal.as_ref().unwrap().message(),
        "This file is application/pdf. Add a JPEG, PNG, WebP or BMP image or an MP4 or MOV video."
    );
    assert_eq!(
        refs.get(big).unwrap().refusal.as_ref().unwrap().message(),
        "This image is 20 MB; fal accepts images up to 20 MB."
    );
    assert!(refs
        .get(big_video)
        .unwrap()
        .trim_problem()
        .unwrap()
        .contains("videos up to 100 MB. Trim it"));
}

#[test]
fn videos_are_read_then_known_or_refused() {
    let mut refs = References::default();
    let v = refs.add_file(file("clip.mp4", 1_000, "video/mp4"));
    let bad = refs.add_file(file("broken.mp4", 1_000, "video/mp4"));
    let img = refs.add_file(file("a.png", 1_000, "image/png"));
    assert_eq!(refs.get(v).unwrap().length, Some(VideoLength::Reading));
    assert_eq!(refs.get(img).unwrap().length, None);

    refs.set_video_length(v, VideoLength::Known { millis: 8_200 });
    refs.set_video_length(img, VideoLength::Known { millis: 1 });
    assert_eq!(
        refs.get(v).unwrap().length,
        Some(VideoLength::Known { millis: 8_200 })
    );
    assert_eq!(refs.get(img).unwrap().length, None, "images have no length");

    refs.refuse_unreadable_video(bad, "the format is not supported");
    let refused = refs.get(bad).unwrap();
    assert_eq!(refused.length, None);
    assert!(refused
        .refusal
        .as_ref()
        .unwrap()
        .message()
        .starts_with("This video could not be read (the format is not supported)"));
    assert_eq!(refs.label(v).unwrap().to_string(), "Video 1");
    assert_eq!(refs.label(bad), None);
}

#[test]
fn adding_again_keeps_the_slot_and_checks_the_new_file() {
    let mut refs = References::default();
    let first = refs.add_file_to_add_again(file("cat.png", 5, "image/png"), ReferenceKind::Image);
    let second = refs.add_url("https://x.org/b.png", ReferenceKind::Image);
    assert_eq!(refs.label(first).unwrap().to_string(), "Image 1");
    assert!(matches!(
        refs.get(first).unwrap().source,
        ReferenceSource::FileToAddAgain(_)
    ));

    assert!(refs.replace_with_file(first, file("cat.png", 5, "image/png")));
    assert!(matches!(
        refs.get(first).unwrap().source,
        ReferenceSource::File(_)
    ));
    assert_eq!(refs.label(first).unwrap().to_string(), "Image 1");
    assert_eq!(refs.label(second).unwrap().to_string(), "Image 2");

    // The replacement is checked like any new file.
    assert!(refs.replace_with_file(first, file("clip.mp4", 5, "video/mp4")));
    assert_eq!(refs.get(first).unwrap().length, Some(VideoLength::Reading));
    assert!(refs.replace_with_file(first, file("x.gif", 5, "image/gif")));
    assert!(refs.get(first).unwrap().refusal.is_some());
    assert!(!refs.replace_with_file(ReferenceId(99), file("a.png", 1, "image/png")));

    let clip = refs.add_file(file("clip.mp4", 5, "video/mp4"));
    assert!(refs.forget_file(clip));
    let forgotten = refs.get(clip).unwrap();
    assert!(matches!(
        forgotten.source,
        ReferenceSource::FileToAddAgain(_)
    ));
    assert_eq!(forgotten.length, None);
    assert_eq!(refs.label(clip).unwrap().to_string(), "Video 1");
    assert!(!refs.forget_file(second), "a URL has no file to forget");
    assert!(!refs.forget_file(clip), "already forgotten");
}

#[test]
fn details_say_where_an_entry_comes_from_and_how_long_a_video_is() {
    let mut refs = References::default();
    let link = refs.add_url("https://v3.fal.media/files/a.mp4", ReferenceKind::Video);
    let photo = refs.add_file(file("cat.png", 1_450_000, "image/png"));
    let clip = refs.add_file(file("walk.mp4", 640_000, "video/mp4"));
    let odd = refs.add_url("not a link", ReferenceKind::Image);
    let details = |refs: &References, id| refs.get(id).unwrap().details();
    assert_eq!(
        details(&refs, link),
        "v3.fal.media \u{b7} reading length\u{2026}"
    );
    assert_eq!(details(&refs, photo), "1.5 MB");
    refs.set_video_length(clip, VideoLength::Known { millis: 4_240 });
    assert_eq!(details(&refs, clip), "640 KB \u{b7} 4.2 s");
    refs.set_video_length(link, VideoLength::Unknown);
    assert_eq!(details(&refs, link), "v3.fal.media \u{b7} length unknown");
    assert_eq!(details(&refs, odd), "", "no host to show");
}

#[test]
fn a_removed_entrys_neighbour_is_the_next_else_the_previous() {
    let mut refs = References::default();
    let a = refs.add_url("https://x.org/a.png", ReferenceKind::Image);
    let b = refs.add_url("https://x.org/b.png", ReferenceKind::Image);
    let c = refs.add_url("https://x.org/c.png", ReferenceKind::Image);
    assert_eq!(refs.neighbour(a), Some(b));
    assert_eq!(refs.neighbour(b), Some(c));
    assert_eq!(refs.neighbour(c), Some(b));
    refs.remove(b);
    refs.remove(c);
    assert_eq!(refs.neighbour(a), None);
    assert_eq!(refs.neighbour(c), None, "gone");
}
