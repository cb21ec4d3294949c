//! Many ranges of one ffmpeg-made clip, each trimmed in memory and read
//! back through the locator: the trimmed file's own header states the
//! planned length, starts on a keyframe shown at 0, keeps its sound as long
//! as its picture, and can itself be trimmed again.

use super::super::test_media;
use super::super::*;
use super::refusals::sample_file;
use super::AAC_FRAME;

fn trimmed_bytes(plan: &TrimPlan, original: &[u8]) -> Vec<u8> {
    let mut out = plan.header.clone();
    for range in &plan.ranges {
        out.extend_from_slice(
            &original[range.offset as usize..(range.offset + range.len) as usize],
        );
    }
    out
}

fn index_of(bytes: &[u8]) -> MediaIndex {
    test_media::index_of(bytes).unwrap_or_else(|refusal| panic!("{}", refusal.message()))
}

#[test]
fn every_range_reads_back_as_planned() {
    let original = sample_file();
    let index = index_of(original);
    for start in (0..80).step_by(3).map(|t| f64::from(t) / 10.0) {
        for length in [0.1, 0.7, 1.5, 3.0, 10.0] {
            let plan = index.plan(start, start + length).unwrap();
            let trimmed = trimmed_bytes(&plan, original);
            let again = index_of(&trimmed);
            let range = format!("{start}+{length}");
            assert!(
                (again.duration_seconds() - plan.duration_seconds()).abs() < 1e-3,
                "{range}: reads back as {} s, planned {} s",
                again.duration_seconds(),
                plan.duration_seconds()
            );
            assert!(
                again.video.table.samples[0].sync,
                "{range}: starts on a keyframe"
            );
            assert!(
                again.keyframe_seconds()[0].abs() < 1e-9,
                "{range}: the keyframe is shown first"
            );
            let audio = &again.audio[0].placement;
            let sound =
                (audio.gap + audio.shown.unwrap_or(0)) as f64 / f64::from(again.movie_timescale);
            assert!(
                (sound - plan.duration_seconds()).abs() <= AAC_FRAME,
                "{range}: sound {sound} s, picture {} s",
                plan.duration_seconds()
            );
            let twice = again.plan(0.0, 100.0).unwrap();
            assert!(
                (twice.duration_seconds() - plan.duration_seconds()).abs() < 1e-3,
                "{range}"
            );
            assert!(
                twice.output_len() <= plan.output_len(),
                "{range}: a trim of a trim does not grow"
            );
        }
    }
}
