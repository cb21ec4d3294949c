//! Property tests for every parser of input from outside the app: fal's
//! status stream and queue answers, `config.json`, history import files and
//! share links (the MP4 reader has its own, in `media`). Whatever arrives,
//! they answer without panicking, and what they accept keeps their promises.

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::core::config::csp::content_security_policy;
use crate::core::config::runtime::AppConfig;
use crate::core::fal::answers::{parse_cancel, parse_result, parse_submit};
use crate::core::fal::endpoint::check_request_id;
use crate::core::fal::http::HttpResponse;
use crate::core::fal::sse::{SseItem, SseParser};
use crate::core::fal::status::parse_status;
use crate::core::form::share_link::{read_share_query, share_url};
use crate::core::history::file::{export_json, read_export};
use crate::core::history::records::{History, HISTORY_CAP, RECORD_MAX_BYTES};
use crate::core::job::record::{JobRecord, RecordStatus};
use crate::core::job::test_support::RecordBuilder;
use crate::core::model::schema::R2vInput;
use crate::core::url::is_web_url;

/// JSON values of any shape, a few levels deep, with the keys fal's
/// answers and job records use, so the interesting branches are reached.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("request_id".to_owned()),
        Just("status".to_owned()),
        Just("video".to_owned()),
        Just("url".to_owned()),
        Just("seed".to_owned()),
        Just("version".to_owned()),
        Just("id".to_owned()),
        Just("jobs".to_owned()),
        Just("format".to_owned()),
        Just("detail".to_owned()),
        "[a-z_]{1,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "\\PC{0,24}".prop_map(Value::from),
        Just(Value::from("https://v3.fal.media/files/o.mp4")),
        Just(Value::from("IN_QUEUE")),
        Just(Value::from("COMPLETED")),
        Just(Value::from("wan-r2v-studio history")),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn body() -> impl Strategy<Value = String> {
    prop_oneof![any_json().prop_map(|v| v.to_string()), "\\PC{0,64}"]
}

fn record(n: u64, status: RecordStatus, prompt: &str) -> JobRecord {
    let r = RecordBuilder::new(format!("job-{n}"), 1_000 + n)
        .prompt(prompt)
        .status(status);
    let r = if status == RecordStatus::Submitting {
        r
    } else {
        r.request(
            "https://queue.fal.run/fal-ai/wan/requests",
            &format!("req-{n}"),
        )
    };
    match status {
        RecordStatus::Completed => r.output("https://v3.fal.media/files/o.mp4", n as i64),
        _ => r,
    }
    .build()
}

fn any_status() -> impl Strategy<Value = RecordStatus> {
    prop_oneof![
        Just(RecordStatus::Submitting),
        Just(RecordStatus::Queued),
        Just(RecordStatus::Running),
        Just(RecordStatus::Completed),
        Just(RecordStatus::Failed),
        Just(RecordStatus::Cancelled),
        Just(RecordStatus::Expired),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Where the network cuts the stream never changes what comes out.
    #[test]
    fn sse_chunks_cut_anywhere_give_the_same_items(
        bytes in prop::collection::vec(
            prop_oneof![Just(b'\r'), Just(b'\n'), Just(b':'), Just(b' '), any::<u8>(),
                        Just(b'd'), Just(b'a'), Just(b't'), Just(b'e')], 0..400),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let whole = SseParser::new().feed(&bytes).unwrap();
        let mut points: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
        points.sort_unstable();
        let mut parser = SseParser::new();
        let mut pieces: Vec<SseItem> = Vec::new();
        let mut start = 0;
        for point in points.into_iter().chain([bytes.len()]) {
            pieces.extend(parser.feed(&bytes[start..point]).unwrap());
            start = point;
        }
        prop_assert_eq!(pieces, whole);
    }

    /// Any answer to a submit, cancel, status or result read is an outcome
    /// or an error, never a panic; an accepted one keeps the checks.
    #[test]
    fn queue_answers_of_any_shape_are_read_safely(status in 100u16..600, body in body()) {
        let answer = HttpResponse::new(status, body);
        if let Ok(submitted) = parse_submit(&answer, 1_795_513_909) {
            prop_assert!(check_request_id(&submitted.request_id).is_ok());
        }
        let _ = parse_cancel(&answer, 1_795_513_909);
        let _ = parse_status(&answer, 1_795_513_909);
        if let Ok(output) = parse_result(&answer, 1_795_513_909) {
            prop_assert!(is_web_url(&output.video.url));
        }
    }

    /// config.json: anything is read or refused, and an accepted file never
    /// adds a directive of its own to the Content-Security-Policy.
    #[test]
    fn config_json_never_injects_into_the_policy(
        value in any_json(),
        hosts in prop::collection::vec("(https?://)?[*a-z0-9.;:/ '-]{0,20}", 0..4),
        proxy in "[/.a-z:;' -]{0,16}",
    ) {
        let _ = AppConfig::from_json(&value.to_string());
        let directives = content_security_policy(&AppConfig::default()).split("; ").count();
        let text = json!({"storage_hosts": hosts, "proxy_url": proxy}).to_string();
        if let Ok(config) = AppConfig::from_json(&text) {
            let policy = content_security_policy(&config);
            prop_assert_eq!(policy.split("; ").count(), directives, "{}", policy);
            prop_assert!(!proxy.trim_start().starts_with("//"));
        }
    }

    /// An import file of any shape is read or refused; what it lets in is
    /// bounded, and unfinished jobs beyond the cap are not followed.
    #[test]
    fn history_imports_of_any_shape_are_bounded(jobs in prop::collection::vec(any_json(), 0..12)) {
        let file = json!({"format": "wan-r2v-studio history", "version": 1, "jobs": jobs});
        let text = file.to_string();
        if let Ok(imported) = read_export(&text, text.len() as u64) {
            for record in &imported.records {
                prop_assert!(serde_json::to_string(record).unwrap().len() <= RECORD_MAX_BYTES + 64);
            }
            let mut history = History::default();
            history.merge(imported.records, 3, |_| false);
            prop_assert!(history.unfinished().count() <= 3);
        }
        let _ = read_export(&jobs_text(&jobs), 0);
    }

    /// Export then import gives the same jobs back, whatever their prompts.
    #[test]
    fn history_export_round_trips(
        jobs in prop::collection::vec((any_status(), "\\PC{0,40}"), 0..12),
    ) {
        let mut history = History::default();
        for (n, (status, prompt)) in jobs.iter().enumerate() {
            history.upsert(record(n as u64, *status, prompt), HISTORY_CAP, |_| false);
        }
        let text = export_json(&history, 1_795_513_909_000);
        let imported = read_export(&text, text.len() as u64).unwrap();
        prop_assert_eq!(imported.records.as_slice(), history.records());
    }

    /// A share link is read or ignored whatever its query, and a link the
    /// studio made opens the same settings.
    #[test]
    fn share_links_read_any_query_and_round_trip(
        query in "[a-z0-9=&%+_.~-]{0,80}",
        prompt in "\\PC{1,120}",
        negative in proptest::option::of("\\PC{1,40}"),
        seed in proptest::option::of(0i64..=2_147_483_647),
    ) {
        let _ = read_share_query(&query);
        let _ = read_share_query(&format!("r2v=1&{query}"));
        let input = R2vInput { prompt, negative_prompt: negative, seed, ..R2vInput::default() };
        let url = share_url("https://studio.example/", &input);
        let opened = read_share_query(url.split_once('?').unwrap().1).unwrap();
        prop_assert_eq!(opened.input, input);
    }
}

fn jobs_text(jobs: &[Value]) -> String {
    Value::Array(jobs.to_vec()).to_string()
}
