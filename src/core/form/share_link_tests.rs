use super::*;
use crate::core::form::state::FormState;
use crate::core::model::reference_media::LocalFile;
use crate::core::model::validation::ReferenceKind;

fn full_input() -> R2vInput {
    R2vInput {
        prompt: "Image 1 & Video 1 dance: 100% joy #1 + more?\nsecond line 🐨".into(),
        reference_image_urls: vec![
            "https://v3.fal.media/files/a.png".into(),
            "https://example.org/b.png?sig=1&x=2".into(),
        ],
        reference_video_urls: vec!["https://v3.fal.media/files/c.mp4".into()],
        negative_prompt: Some("blur, text".into()),
        aspect_ratio: AspectRatio::Portrait9x16,
        resolution: Resolution::P720,
        duration: DurationSeconds::new(8).unwrap(),
        multi_shots: true,
        seed: Some(2_147_483_647),
        enable_safety_checker: false,
    }
}

fn query_of(url: &str) -> &str {
    url.split_once('?').map_or("", |(_, q)| q)
}

#[test]
fn every_setting_survives_the_round_trip() {
    for input in [full_input(), R2vInput::default()] {
        let url = share_url("https://studio.example/", &input);
        let opened = read_share_query(query_of(&url)).expect("a share link");
        assert_eq!(opened.input, input);
        assert!(opened.problems.is_empty(), "{:?}", opened.problems);
    }
}

#[test]
fn the_link_keeps_the_studios_sub_path_and_drops_its_own_query() {
    let input = R2vInput {
        prompt: "A heron".into(),
        ..R2vInput::default()
    };
    let url = share_url(
        "https://host.example/tools/r2v/?embed=1&r2v=1&prompt=old#top",
        &input,
    );
    assert!(url.starts_with("https://host.example/tools/r2v/?r2v=1&prompt=A%20heron&"));
    assert!(!url.contains("embed"));
    assert!(!url.contains('#'));
    assert!(!url.contains("old"));
    let page = share_url("http://127.0.0.1:8080/index.html", &input);
    assert!(page.starts_with("http://127.0.0.1:8080/index.html?r2v=1&"));
}

#[test]
fn local_files_are_left_out_and_counted() {
    let mut state = FormState {
        prompt: "Image 1 and Image 2".into(),
        ..FormState::default()
    };
    state
        .references
        .add_url("https://v3.fal.media/files/a.png", ReferenceKind::Image);
    state.references.add_file(LocalFile {
        name: "me.png".into(),
        size: 1000,
        mime: "image/png".into(),
    });
    let settings = SharedSettings::from_request(&state.request());
    assert_eq!(settings.left_out_files, 1);
    assert_eq!(
        settings.input.reference_image_urls,
        vec!["https://v3.fal.media/files/a.png".to_string()]
    );
    let note = settings.left_out_note().unwrap();
    assert!(
        note.starts_with("1 reference is a file on this device"),
        "{note}"
    );
    assert!(
        SharedSettings::from_request(&FormState::default().request())
            .left_out_note()
            .is_none()
    );
}

#[test]
fn an_ordinary_visit_is_not_a_share_link() {
    assert_eq!(read_share_query(""), None);
    assert_eq!(read_share_query("?embed=1"), None);
    assert_eq!(read_share_query("prompt=hello"), None, "no marker");
}

#[test]
fn bad_settings_fall_back_to_defaults_and_say_so() {
    let opened = read_share_query(
        "r2v=1&prompt=p&aspect_ratio=21%3A9&resolution=4k&duration=12&multi_shots=maybe\
         &seed=12a&enable_safety_checker=x&image=javascript%3Aalert(1)&video=ftp%3A%2F%2Fx%2Fv.mp4\
         &image=https%3A%2F%2Fok.example%2Fa.png",
    )
    .unwrap();
    let defaults = R2vInput::default();
    assert_eq!(opened.input.aspect_ratio, defaults.aspect_ratio);
    assert_eq!(opened.input.resolution, defaults.resolution);
    assert_eq!(opened.input.duration, defaults.duration);
    assert!(!opened.input.multi_shots);
    assert!(opened.input.enable_safety_checker);
    assert_eq!(opened.input.seed, None);
    assert_eq!(
        opened.input.reference_image_urls,
        vec!["https://ok.example/a.png".to_string()]
    );
    assert!(opened.input.reference_video_urls.is_empty());
    let all = opened.problems.join("\n");
    assert_eq!(opened.problems.len(), 8, "{all}");
    assert!(all.contains("The aspect ratio “21:9” is not one fal offers; 16:9 is used."));
    assert!(all.contains("The duration “12” is not 2 to 10 seconds; 5 s is used."));
    assert!(all.contains("The seed “12a” is not a whole number"));
    assert!(all.contains("A reference image “javascript:alert(1)” is not a web address"));
    assert!(all.contains("A reference video “ftp://x/v.mp4” is not a web address"));
}

#[test]
fn a_newer_link_loads_what_is_known_and_says_so() {
    let opened = read_share_query("r2v=2&prompt=hi&camera=dolly").unwrap();
    assert_eq!(opened.input.prompt, "hi");
    assert_eq!(opened.problems.len(), 1);
    assert!(opened.problems[0].contains("newer version"));
}

#[test]
fn a_key_in_a_link_is_never_read() {
    let opened = read_share_query("r2v=1&prompt=hi&fal_key=id%3Asecret&key=id%3Asecret").unwrap();
    assert_eq!(opened.input.prompt, "hi");
    let everything = format!("{:?}", opened);
    assert!(!everything.contains("secret"));
    // And the link written from an input has nowhere to put one.
    let url = share_url("https://s.example/", &opened.input);
    assert!(!url.contains("secret") && !url.contains("key="));
}

#[test]
fn applying_a_link_strips_only_its_own_keys() {
    let query = "embed=1&r2v=1&prompt=a&image=x&theme=dark";
    assert_eq!(query_without_share(query), "embed=1&theme=dark");
    assert_eq!(query_without_share("?r2v=1&prompt=a"), "");
}
