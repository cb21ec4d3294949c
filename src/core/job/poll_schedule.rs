//! How often to poll a job's status when the status stream is unavailable
//! (a proxy that buffers, a network that drops long requests).
//!
//! fal-js polls every 500 ms for the whole run. A video takes minutes, so
//! that is hundreds of requests spent mostly on "still in progress". This
//! schedule starts at fal-js's 500 ms, grows by half after every poll that
//! brought nothing new, up to 5 s, and snaps back to 500 ms as soon as
//! something changes (queue position, status, a new log line), so progress
//! shows promptly while a quiet wait costs few requests.

use std::time::Duration;

use crate::core::fal::status::QueueStatus;

/// The polling rhythm, as a small value the web layer keeps per job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollSchedule {
    pub initial: Duration,
    pub max: Duration,
    /// Growth per quiet poll, in percent (150 = ×1.5).
    pub growth_percent: u32,
    current: Duration,
}

impl Default for PollSchedule {
    fn default() -> Self {
        Self::new(Duration::from_millis(500), Duration::from_secs(5), 150)
    }
}

impl PollSchedule {
    pub fn new(initial: Duration, max: Duration, growth_percent: u32) -> Self {
        let initial = initial.min(max);
        Self {
            initial,
            max,
            growth_percent: growth_percent.max(100),
            current: initial,
        }
    }

    /// For a job that polls only because the page's few status streams are
    /// taken (a batch: see `core::batch::stream_slots`). It gets a stream,
    /// and its result at once, when one comes free; meanwhile each poll
    /// only keeps its tile roughly current. Polling such jobs on the
    /// default rhythm would cost nearly as many requests as fal's client
    /// (a log line a second resets it to 500 ms), so this one starts at
    /// 15 s and stretches to 30 s.
    pub fn waiting_for_stream() -> Self {
        Self::new(Duration::from_secs(15), Duration::from_secs(30), 150)
    }

    /// The wait before the next poll, given whether the last one showed
    /// progress. Quiet polls stretch the interval; progress resets it.
    pub fn next_delay(&mut self, progressed: bool) -> Duration {
        if progressed {
            self.current = self.initial;
        } else {
            // Whole milliseconds: timers take integers anyway.
            let millis = u64::try_from(self.current.as_millis()).unwrap_or(u64::MAX);
            let grown = millis.saturating_mul(u64::from(self.growth_percent)) / 100;
            self.current = Duration::from_millis(grown).min(self.max);
        }
        self.current
    }

    /// The interval the next quiet poll would build on.
    pub fn current(&self) -> Duration {
        self.current
    }
}

/// True when `current` tells the person something `previous` did not.
pub fn progressed(previous: Option<&QueueStatus>, current: &QueueStatus) -> bool {
    previous != Some(current)
}

/// True when the job moved to another stage (queued, running, done), not
/// merely on a new log line or queue position: what resets the patient
/// rhythm of [`PollSchedule::waiting_for_stream`].
pub fn changed_stage(previous: Option<&QueueStatus>, current: &QueueStatus) -> bool {
    previous.is_none_or(|p| std::mem::discriminant(p) != std::mem::discriminant(current))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::job::request_log::RequestLog;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn quiet_polls_stretch_the_interval_up_to_the_cap() {
        let mut schedule = PollSchedule::default();
        let delays: Vec<Duration> = (0..8).map(|_| schedule.next_delay(false)).collect();
        assert_eq!(
            delays,
            [
                ms(750),
                ms(1125),
                ms(1687),
                ms(2530),
                ms(3795),
                ms(5000),
                ms(5000),
                ms(5000)
            ]
        );
    }

    #[test]
    fn progress_resets_to_the_initial_interval() {
        let mut schedule = PollSchedule::default();
        for _ in 0..10 {
            schedule.next_delay(false);
        }
        assert_eq!(schedule.current(), ms(5000));
        assert_eq!(schedule.next_delay(true), ms(500));
        assert_eq!(schedule.next_delay(false), ms(750));
    }

    #[test]
    fn odd_parameters_are_made_sane() {
        let mut shrinking = PollSchedule::new(ms(800), ms(400), 50);
        assert_eq!(shrinking.current(), ms(400));
        assert_eq!(
            shrinking.next_delay(false),
            ms(400),
            "never below initial, never above max"
        );
        let mut flat = PollSchedule::new(ms(1000), ms(1000), 100);
        assert_eq!(flat.next_delay(false), ms(1000));
    }

    #[test]
    fn a_job_waiting_for_a_stream_polls_patiently() {
        let mut schedule = PollSchedule::waiting_for_stream();
        let delays: Vec<Duration> = (0..4).map(|_| schedule.next_delay(false)).collect();
        assert_eq!(delays, [ms(22_500), ms(30_000), ms(30_000), ms(30_000)]);
        assert_eq!(schedule.next_delay(true), ms(15_000));
    }

    /// Running, with `n` log lines so far.
    fn running(n: usize) -> QueueStatus {
        QueueStatus::InProgress {
            logs: (0..n)
                .map(|i| RequestLog {
                    message: format!("step {i}"),
                    level: "INFO".into(),
                    source: None,
                    timestamp: None,
                })
                .collect(),
        }
    }

    #[test]
    fn only_a_new_stage_counts_for_the_patient_rhythm() {
        let queued = |p| QueueStatus::InQueue { position: Some(p) };
        assert!(changed_stage(None, &queued(3)));
        assert!(!changed_stage(Some(&queued(3)), &queued(2)));
        assert!(changed_stage(Some(&queued(0)), &running(0)));
        assert!(!changed_stage(Some(&running(2)), &running(3)));
    }

    #[test]
    fn progress_means_a_change_in_what_fal_reports() {
        let queued = |p| QueueStatus::InQueue { position: Some(p) };
        assert!(progressed(None, &queued(3)));
        assert!(!progressed(Some(&queued(3)), &queued(3)));
        assert!(progressed(Some(&queued(3)), &queued(2)));
        assert!(progressed(Some(&queued(0)), &running(0)));
        assert!(!progressed(Some(&running(2)), &running(2)));
        assert!(progressed(Some(&running(2)), &running(3)));
    }
}
