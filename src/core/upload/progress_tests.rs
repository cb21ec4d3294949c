use super::*;

const MB: u64 = 1_000_000;

#[test]
fn sent_adds_confirmed_parts_and_what_is_in_flight() {
    let mut meter = ProgressMeter::new(30 * MB, 0);
    meter.sent(1, 4 * MB, 100);
    meter.sent(2, MB, 100);
    assert_eq!(meter.snapshot(100).sent, 5 * MB);
    meter.confirmed(1, 10 * MB, 400);
    meter.sent(2, 6 * MB, 400);
    meter.sent(3, 2 * MB, 400);
    let at = meter.snapshot(400);
    assert_eq!((at.sent, at.total), (18 * MB, 30 * MB));
    assert_eq!(at.percent(), 60);
}

#[test]
fn a_failed_transfer_takes_its_bytes_back_but_never_slows_the_speed_below_zero() {
    let mut meter = ProgressMeter::new(20 * MB, 0);
    meter.sent(1, 8 * MB, 1_000);
    meter.lost(1);
    assert_eq!(meter.snapshot(1_000).sent, 0, "part 1 must be sent again");
    meter.sent(1, 2 * MB, 1_500);
    let at = meter.snapshot(1_500);
    assert_eq!(at.sent, 2 * MB);
    // 10 MB went over the wire in 1.5 s, retry included.
    let speed = at.bytes_per_second.unwrap();
    assert!((speed - 10.0 * MB as f64 / 1.5).abs() < 1.0, "{speed}");
}

#[test]
fn a_retried_transfer_counts_its_new_bytes_on_the_wire() {
    let mut meter = ProgressMeter::new(10 * MB, 0);
    meter.sent(1, 5 * MB, 500);
    meter.lost(1);
    meter.sent(1, 3 * MB, 1_000);
    meter.confirmed(1, 10 * MB, 2_000);
    let at = meter.snapshot(2_000);
    assert_eq!(at.sent, 10 * MB);
    // 5 MB lost + 10 MB that arrived = 15 MB in 2 s.
    assert_eq!(at.bytes_per_second, Some(7_500_000.0));
}

#[test]
fn the_speed_is_unknown_at_first_then_follows_the_last_three_seconds() {
    let mut meter = ProgressMeter::new(100 * MB, 0);
    meter.sent(1, MB, 200);
    assert_eq!(meter.snapshot(200).bytes_per_second, None, "too early");
    assert_eq!(meter.snapshot(200).describe(), "1 MB of 100 MB");

    // 10 MB/s for 5 s, one event every 100 ms.
    let mut loaded = MB;
    for step in 3..=50u64 {
        loaded += MB;
        meter.sent(1, loaded, step * 100);
    }
    // Then 2 MB/s: the window forgets the fast start within 3 s.
    for step in 51..=90u64 {
        loaded += MB / 5;
        meter.sent(1, loaded, step * 100);
    }
    let speed = meter.snapshot(9_000).bytes_per_second.unwrap();
    assert!(
        (1_900_000.0..2_300_000.0).contains(&speed),
        "speed {speed} should be about 2 MB/s"
    );
}

#[test]
fn a_fresh_upload_address_starts_the_bytes_over() {
    let mut meter = ProgressMeter::new(30 * MB, 0);
    meter.confirmed(1, 10 * MB, 1_000);
    meter.sent(2, 4 * MB, 1_000);
    meter.restart();
    assert_eq!(meter.snapshot(1_000).sent, 0);
    assert!(meter.snapshot(1_000).bytes_per_second.is_some());
}

#[test]
fn progress_reads_as_sizes_speed_and_time_left() {
    let progress = UploadProgress {
        sent: 12_600_000,
        total: 99_600_000,
        bytes_per_second: Some(41_300_000.0),
    };
    assert_eq!(
        progress.describe(),
        "12.6 MB of 99.6 MB · 41.3 MB/s · 3 s left"
    );
    assert_eq!(progress.percent(), 12);

    let slow = UploadProgress {
        sent: 0,
        total: 95 * 1_048_576,
        bytes_per_second: Some(450_000.0),
    };
    assert_eq!(slow.describe(), "0 MB of 99.6 MB · 450 KB/s · 4 min left");

    let done = UploadProgress {
        sent: 5 * MB,
        total: 5 * MB,
        bytes_per_second: Some(MB as f64),
    };
    assert_eq!(done.describe(), "5 MB of 5 MB · 1 MB/s");
    assert_eq!(done.percent(), 100);
    let empty = UploadProgress {
        sent: 0,
        total: 0,
        bytes_per_second: None,
    };
    assert_eq!(empty.percent(), 100);
}

#[test]
fn speeds_and_durations_are_worded_for_people() {
    assert_eq!(format_speed(0.0), "0 KB/s");
    assert_eq!(format_speed(f64::NAN), "0 KB/s");
    assert_eq!(format_speed(999_000.0), "999 KB/s");
    assert_eq!(format_speed(1_000_000.0), "1 MB/s");
    assert_eq!(format_speed(123_456_789.0), "123.5 MB/s");
    assert_eq!(format_duration(59), "59 s");
    assert_eq!(format_duration(61), "2 min");
    assert_eq!(format_duration(3_900), "1 h 5 min");
}

#[test]
fn small_files_are_described_in_their_own_unit() {
    let mut tiny = ProgressMeter::new(70, 0);
    assert_eq!(tiny.snapshot(0).describe(), "0 B of 70 B");
    tiny.sent(1, 70, 100);
    assert!(tiny.snapshot(100).describe().starts_with("70 B of 70 B"));
    let image = ProgressMeter::new(500_000, 0);
    assert_eq!(image.snapshot(0).describe(), "0 B of 500 KB");
}
