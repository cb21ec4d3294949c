//! What a submit will cost, read from its body the way fal bills it:
//! output seconds plus the seconds of every reference video
//! (`wan_r2v_studio::core::model::pricing`). The body is read leniently (a body
//! fal will refuse still gets a price, the highest it could be), but a
//! reference video whose length the server cannot learn is refused here,
//! naming it, before any money is reserved.

use axum::http::StatusCode;
use axum::response::Response;
use futures_util::future::join_all;
use serde_json::{json, Value};
use wan_r2v_studio::core::model::pricing::{BilledLength, CostEstimate, VideoCharge};
use wan_r2v_studio::core::model::schema::DurationSeconds;

use super::money::Cents;
use crate::json_error::json_response;
use crate::probe::ReferenceProber;

/// Videos read per submit; more is refused (fal's own limit is lower).
pub const MAX_VIDEOS: usize = 10;

/// The output seconds fal would bill: the body's `duration` when valid,
/// fal's default when absent, and the longest possible when it is not
/// something the server can read (fal then refuses the body for free, but
/// the server does not count on that).
fn output_seconds(body: &Value) -> u32 {
    match body.get("duration") {
        None | Some(Value::Null) => u32::from(DurationSeconds::DEFAULT.seconds()),
        Some(value) => serde_json::from_value::<DurationSeconds>(value.clone())
            .map_or(u32::from(DurationSeconds::MAX), |d| u32::from(d.seconds())),
    }
}

/// fal's 422 shape, so the app shows the message at the field it names.
fn refuse(loc: Value, msg: String, kind: &str) -> Box<Response> {
    Box::new(json_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        &json!({ "detail": [{ "loc": loc, "msg": msg, "type": kind }] }),
    ))
}

/// The estimate, or the 422 answer that names the reference it could not
/// price. `own_origin` lets the simulator's own file URLs be read in place.
pub async fn estimate(
    body: &[u8],
    prober: &ReferenceProber,
    own_origin: Option<&str>,
) -> Result<CostEstimate, Box<Response>> {
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let urls: Vec<&str> = match body.get("reference_video_urls") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            items.iter().filter_map(Value::as_str).collect()
        }
        Some(_) => {
            return Err(refuse(
                json!(["body", "reference_video_urls"]),
                "reference_video_urls must be a list of video URLs".to_owned(),
                "list_type",
            ))
        }
    };
    if urls.len() > MAX_VIDEOS {
        return Err(refuse(
            json!(["body", "reference_video_urls"]),
            format!("at most {MAX_VIDEOS} reference videos are accepted"),
            "too_long",
        ));
    }
    let lengths = join_all(urls.iter().map(|url| prober.length_millis(url, own_origin))).await;
    let mut videos = Vec::with_capacity(urls.len());
    for (index, (url, length)) in urls.iter().zip(lengths).enumerate() {
        let label = format!("Video {}", index + 1);
        match length {
            Ok(millis) => videos.push(VideoCharge {
                label,
                length: BilledLength::Known { millis },
            }),
            Err(why) => {
                let shown: String = url.chars().take(200).collect();
                return Err(refuse(
                    json!(["body", "reference_video_urls", index]),
                    format!(
                        "{label} ({shown}): the server could not read its length, which it needs \
                         to price the run before sending it to fal: {why}"
                    ),
                    "reference_length_unknown",
                ));
            }
        }
    }
    Ok(CostEstimate {
        output_seconds: output_seconds(&body),
        videos,
    })
}

/// Whole cents of a complete estimate.
pub fn cents(estimate: &CostEstimate) -> Cents {
    estimate.known_cents()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_seconds_follow_fal_defaults_and_assume_the_worst() {
        assert_eq!(output_seconds(&json!({})), 5);
        assert_eq!(output_seconds(&json!({ "duration": 3 })), 3);
        assert_eq!(output_seconds(&json!({ "duration": "8" })), 8);
        assert_eq!(output_seconds(&json!({ "duration": 11 })), 10);
        assert_eq!(output_seconds(&json!({ "duration": "lots" })), 10);
        assert_eq!(output_seconds(&Value::Null), 5);
    }

    #[tokio::test]
    async fn a_video_whose_length_cannot_be_read_is_refused_by_name() {
        let prober = ReferenceProber::new(crate::probe::fetch::FetchPolicy::Public, None);
        let body = json!({
            "prompt": "p",
            "reference_video_urls": ["http://videos.example/a.mp4"],
        });
        let refused = estimate(body.to_string().as_bytes(), &prober, None)
            .await
            .unwrap_err();
        assert_eq!(refused.status(), 422);
        let body = axum::body::to_bytes(refused.into_body(), 1 << 16)
            .await
            .unwrap();
        let answer: Value = serde_json::from_slice(&body).unwrap();
        let item = &answer["detail"][0];
        assert_eq!(item["loc"], json!(["body", "reference_video_urls", 0]));
        let msg = item["msg"].as_str().unwrap();
        assert!(
            msg.contains("Video 1") && msg.contains("http://videos.example/a.mp4"),
            "{msg}"
        );
        assert!(msg.contains("not an https address"), "{msg}");
        let none = estimate(br#"{"prompt":"p","duration":2}"#, &prober, None)
            .await
            .unwrap();
        assert_eq!(cents(&none), 20);
    }
}
