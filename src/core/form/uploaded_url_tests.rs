//! The bookkeeping of uploaded files: a file uploaded once is sent by its
//! fal URL from then on, across Generates and reloads, until its entry is
//! given another file.

use super::*;
use crate::core::form::state::FormState;

fn file(name: &str, size: u64, mime: &str) -> LocalFile {
    LocalFile {
        name: name.into(),
        size,
        mime: mime.into(),
    }
}

const CAT_URL: &str = "http://127.0.0.1:8080/sim/files/abc/cat.png";
const CLIP_URL: &str = "https://v3.fal.media/files/clip.mp4";

#[test]
fn an_uploaded_file_is_sent_by_its_url_and_not_uploaded_again() {
    let mut form = FormState::default();
    let cat = form
        .references
        .add_file(file("cat.png", 5_000, "image/png"));
    let clip = form
        .references
        .add_file(file("clip.mp4", 5_000_000, "video/mp4"));
    assert_eq!(form.request().uploads.len(), 2);

    assert!(form
        .references
        .record_upload(cat, &file("cat.png", 5_000, "image/png"), CAT_URL));
    let request = form.request();
    assert_eq!(request.input.reference_image_urls, vec![CAT_URL]);
    assert_eq!(request.input.reference_video_urls, vec![""]);
    let pending: Vec<_> = request.uploads.iter().map(|u| u.reference).collect();
    assert_eq!(pending, vec![clip], "only the clip is still to upload");
    assert_eq!(request.uploads[0].position, 0);
}

#[test]
fn a_url_for_another_file_or_a_gone_entry_is_not_kept() {
    let mut refs = References::default();
    let cat = refs.add_file(file("cat.png", 5_000, "image/png"));
    // The entry was given another file while the old one was uploading.
    assert!(refs.replace_with_file(cat, file("dog.png", 7_000, "image/png")));
    assert!(!refs.record_upload(cat, &file("cat.png", 5_000, "image/png"), CAT_URL));
    assert_eq!(refs.get(cat).unwrap().uploaded_url, None);

    assert!(refs.record_upload(cat, &file("dog.png", 7_000, "image/png"), CAT_URL));
    // Replacing the file forgets the old upload.
    assert!(refs.replace_with_file(cat, file("cow.png", 9_000, "image/png")));
    assert_eq!(refs.get(cat).unwrap().uploaded_url, None);

    let gone = refs.add_file(file("a.png", 1, "image/png"));
    refs.remove(gone);
    assert!(!refs.record_upload(gone, &file("a.png", 1, "image/png"), CAT_URL));
    let url = refs.add_url("https://x.org/a.png", ReferenceKind::Image);
    assert!(!refs.record_upload(url, &file("a.png", 1, "image/png"), CAT_URL));
}

#[test]
fn a_reload_keeps_uploaded_files_usable_with_their_length() {
    let mut form = FormState::default();
    let clip_file = file("clip.mp4", 5_000_000, "video/mp4");
    let clip = form.references.add_file(clip_file.clone());
    form.references
        .set_video_length(clip, VideoLength::Known { millis: 4_000 });
    form.references
        .add_file(file("later.png", 1_000, "image/png"));
    assert!(form.references.record_upload(clip, &clip_file, CLIP_URL));

    let restored = FormState::from_saved_json(&form.to_saved_json()).unwrap();
    let items = restored.references.items();
    assert_eq!(items[0].source, ReferenceSource::File(clip_file));
    assert_eq!(items[0].uploaded_url.as_deref(), Some(CLIP_URL));
    assert_eq!(items[0].length, Some(VideoLength::Known { millis: 4_000 }));
    assert!(matches!(
        items[1].source,
        ReferenceSource::FileToAddAgain(_)
    ));
    assert_eq!(items[1].uploaded_url, None);

    let request = restored.request();
    assert_eq!(request.input.reference_video_urls, vec![CLIP_URL]);
    assert_eq!(request.uploads.len(), 1, "only the file never uploaded");
    assert_eq!(
        restored.cost().arithmetic(),
        "5 s output + 4 s of reference video = 9 s × $0.10 = $0.90"
    );
    assert!(
        restored
            .validate()
            .for_field(crate::core::form::validation::FormField::Reference(
                items[0].id
            ))
            .is_none(),
        "an uploaded file needs nothing more"
    );
}

#[test]
fn an_uploaded_video_saved_without_a_length_comes_back_unknown_not_reading() {
    let mut refs = References::default();
    let id = refs.add_uploaded_file(
        file("v.mov", 10, "video/quicktime"),
        ReferenceKind::Video,
        CLIP_URL,
        None,
    );
    assert_eq!(refs.get(id).unwrap().length, Some(VideoLength::Unknown));
    let img = refs.add_uploaded_file(
        file("i.png", 10, "image/png"),
        ReferenceKind::Image,
        CAT_URL,
        None,
    );
    assert_eq!(refs.get(img).unwrap().length, None);
    assert_eq!(refs.label(img).unwrap().to_string(), "Image 1");
}
