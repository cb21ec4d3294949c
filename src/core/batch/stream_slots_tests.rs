use super::*;

use SlotChange::{OpenStream, Poll};

const FAL: &str = "https://queue.fal.run";
const PROXY: &str = "https://studio.example";

#[test]
fn two_streams_per_origin_and_the_rest_poll() {
    let mut slots = StreamSlots::new();
    let changes: Vec<_> = (0..4).map(|i| slots.add(i, FAL)).collect();
    assert_eq!(changes, [OpenStream(0), OpenStream(1), Poll(2), Poll(3)]);
    assert_eq!(
        slots.add(10, PROXY),
        OpenStream(10),
        "another origin has its own slots"
    );
    assert_eq!(slots.streams_on(FAL), 2);
    assert_eq!(slots.add(2, FAL), Poll(2), "adding again changes nothing");
    assert_eq!(slots.follow(&3), Some(Follow::Poll));
    assert_eq!(slots.follow(&99), None);
}

#[test]
fn a_freed_stream_goes_to_the_oldest_polling_job() {
    let mut slots = StreamSlots::new();
    for i in 0..5 {
        slots.add(i, FAL);
    }
    assert_eq!(slots.finished(&3), vec![], "a polling job frees no stream");
    assert_eq!(slots.finished(&1), vec![OpenStream(2)]);
    assert_eq!(slots.finished(&0), vec![OpenStream(4)]);
    assert_eq!(slots.finished(&0), vec![], "unknown job");
    assert_eq!(slots.streams_on(FAL), 2);
}

#[test]
fn a_job_whose_stream_ended_polls_and_is_not_promoted_again() {
    let mut slots = StreamSlots::new();
    for i in 0..4 {
        slots.add(i, FAL);
    }
    assert_eq!(slots.stream_ended(&0, false), vec![OpenStream(2)]);
    assert_eq!(slots.follow(&0), Some(Follow::Poll));
    assert_eq!(slots.stream_ended(&0, false), vec![], "already polling");
    assert_eq!(slots.finished(&1), vec![OpenStream(3)]);
    assert_eq!(
        slots.finished(&2),
        vec![],
        "job 0 is never given a stream again"
    );
    assert_eq!(slots.follow(&0), Some(Follow::Poll));
}

#[test]
fn a_silent_stream_stops_streams_on_its_origin_only() {
    let mut slots = StreamSlots::new();
    for i in 0..3 {
        slots.add(i, PROXY);
    }
    assert_eq!(slots.stream_ended(&0, true), vec![]);
    assert_eq!(slots.add(3, PROXY), Poll(3));
    assert_eq!(slots.finished(&1), vec![]);
    assert_eq!(slots.add(4, FAL), OpenStream(4));
}

#[test]
fn origins_are_read_from_status_urls() {
    assert_eq!(
        origin_of("https://queue.fal.run/fal-ai/wan/requests/abc/status/stream"),
        "https://queue.fal.run"
    );
    assert_eq!(
        origin_of("http://127.0.0.1:8080/api/fal/proxy"),
        "http://127.0.0.1:8080"
    );
    assert_eq!(origin_of("not a url"), "not a url");
}
