//! A job's life on the clock: phases, logs, results, the next change.

use super::*;
use crate::simulator::knobs::parse_knobs;

fn job(prompt: &str, now: Instant) -> Job {
    let timings = Timings {
        queue: Duration::from_secs(3),
        queue_position: 2,
        run: Duration::from_secs(8),
        log_interval: Duration::from_secs(1),
        result_ttl: Duration::from_secs(600),
        upload_ttl: Duration::from_secs(120),
        keepalive: Duration::from_secs(15),
        cancel_delay: Duration::from_secs(1),
    };
    let input = R2vInput {
        prompt: prompt.into(),
        ..R2vInput::default()
    };
    let knobs = parse_knobs(prompt).unwrap();
    Job::new(
        "id".into(),
        "fal-ai/wan".into(),
        input,
        knobs,
        &timings,
        "http://h".into(),
        now,
    )
}

#[test]
fn the_demo_pace_counts_2_1_0_then_logs_each_second() {
    let t0 = Instant::now();
    let j = job("p", t0);
    let at = |ms| t0 + Duration::from_millis(ms);
    assert_eq!(j.phase(at(0)), Phase::Queued { position: 2 });
    assert_eq!(j.phase(at(1_100)), Phase::Queued { position: 1 });
    assert_eq!(j.phase(at(2_100)), Phase::Queued { position: 0 });
    assert_eq!(j.phase(at(3_000)), Phase::Running);
    assert_eq!(j.logs(at(3_000)).len(), 1);
    assert_eq!(j.logs(at(5_500)).len(), 3);
    assert_eq!(j.phase(at(11_000)), Phase::Completed);
    assert_eq!(
        j.logs(at(11_000)).len(),
        9,
        "8 run lines and the closing one"
    );
    assert_eq!(j.phase(at(611_000)), Phase::Expired);
    let (code, status) = j.status(at(11_000), "https://queue.fal.run", true);
    assert_eq!(code, StatusCode::OK);
    assert_eq!(status["metrics"]["inference_time"], 8.0);
    assert_eq!(j.status(at(4_000), "b", false).1["logs"], Value::Null);
}

#[test]
fn next_change_is_when_the_streamed_status_changes() {
    let t0 = Instant::now();
    let j = job("p", t0);
    let at = |ms| t0 + Duration::from_millis(ms);
    assert_eq!(j.next_change(at(0), true), Some(at(1_000)));
    assert_eq!(j.next_change(at(1_500), true), Some(at(2_000)));
    assert_eq!(j.next_change(at(2_999), false), Some(at(3_000)));
    assert_eq!(j.next_change(at(3_000), true), Some(at(4_000)));
    assert_eq!(j.next_change(at(3_000), false), Some(at(11_000)));
    assert_eq!(j.next_change(at(10_500), true), Some(at(11_000)));
    assert_eq!(j.next_change(at(11_000), true), None);
    for ms in [0, 999, 1_000, 2_000, 3_500] {
        let next = j.next_change(at(ms), true).unwrap();
        let before = next - Duration::from_nanos(1);
        assert_ne!(
            j.status(before, "b", true),
            j.status(next, "b", true),
            "{ms}"
        );
    }
}

#[test]
fn a_cancel_while_running_ends_early_with_an_error() {
    let t0 = Instant::now();
    let mut j = job("p", t0);
    j.cancel_requested = Some(t0 + Duration::from_secs(4));
    assert_eq!(j.end(), (t0 + Duration::from_secs(5), true));
    assert_eq!(j.ending(), Ending::Cancelled);
    assert_eq!(j.result().0, StatusCode::BAD_REQUEST);
    let ok = job("p", t0);
    assert_eq!(ok.result().0, StatusCode::OK);
    assert_eq!(
        job("[sim:result-500]", t0).result().0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
}
