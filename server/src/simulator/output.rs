//! The video every successful simulated job "produces": a real, small H.264
//! MP4 (made by `assets/make-sim-output.sh`, committed so no ffmpeg is
//! needed at run time) that browsers decode and can seek in.

use wan_r2v_studio::core::model::schema::{R2vInput, R2vOutput, VideoFile};

pub const OUTPUT_MP4: &[u8] = include_bytes!("../../assets/sim-output.mp4");
pub const WIDTH: u32 = 640;
pub const HEIGHT: u32 = 360;
pub const FPS: f64 = 24.0;
pub const FRAMES: u32 = 96;
pub const SECONDS: f64 = 4.0;

/// Where a job's output is served.
pub fn output_url(files_origin: &str, request_id: &str) -> String {
    format!("{files_origin}/sim/files/output/{request_id}.mp4")
}

/// fal's output shape for a finished job.
pub fn build_output(input: &R2vInput, files_origin: &str, request_id: &str) -> R2vOutput {
    let seed = input.seed.unwrap_or_else(|| {
        // Like fal, a random seed is reported when none was asked for; the
        // request id is random, so derive it from that.
        let sum = request_id.bytes().fold(0u64, |acc, b| {
            acc.wrapping_mul(31).wrapping_add(u64::from(b))
        });
        (sum % 2_147_483_648) as i64
    });
    R2vOutput {
        video: VideoFile {
            url: output_url(files_origin, request_id),
            content_type: Some("video/mp4".to_owned()),
            file_name: Some("output.mp4".to_owned()),
            file_size: Some(OUTPUT_MP4.len() as u64),
            duration: Some(SECONDS),
            fps: Some(FPS),
            width: Some(WIDTH),
            height: Some(HEIGHT),
            num_frames: Some(FRAMES),
        },
        seed: Some(seed),
        actual_prompt: Some(input.prompt.clone()),
        off_schema: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_asset_is_a_small_faststart_mp4() {
        assert!(OUTPUT_MP4.len() < 200 * 1024, "keep the asset under 200 KB");
        assert_eq!(&OUTPUT_MP4[4..8], b"ftyp");
        let moov = OUTPUT_MP4.windows(4).position(|w| w == b"moov").unwrap();
        let mdat = OUTPUT_MP4.windows(4).position(|w| w == b"mdat").unwrap();
        assert!(
            moov < mdat,
            "faststart: moov before mdat, so playback starts at once"
        );
    }

    #[test]
    fn output_round_trips_through_the_apps_type() {
        let input = R2vInput {
            prompt: "p".into(),
            seed: Some(42),
            ..R2vInput::default()
        };
        let out = build_output(&input, "http://127.0.0.1:1", "abc");
        let text = serde_json::to_string(&out).unwrap();
        let back: R2vOutput = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back.video.url,
            "http://127.0.0.1:1/sim/files/output/abc.mp4"
        );
        assert_eq!(back.seed, Some(42));
    }
}
