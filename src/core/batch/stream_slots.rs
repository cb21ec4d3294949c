//! Which of many running jobs get a status stream. Sans-IO: the web layer
//! reports jobs added, streams ended and jobs finished, and performs the
//! [`SlotChange`]s that come back.
//!
//! A browser gives a page 6 connections per origin over HTTP/1.1 (a proxy
//! without HTTP/2 is exactly that), and every open status stream holds one
//! for the job's whole run. Uploads, submits, result reads and the page
//! itself need the rest, so at most [`STREAMS_PER_HOST_MAX`] streams are
//! open per origin; the other jobs poll on the core's
//! [`crate::core::job::poll_schedule`] and move to a stream when one frees,
//! oldest job first, so the order is the same on every run.
//!
//! A job whose stream ended early polls for the rest of its run (the
//! Follower's own fallback) and is not given a stream again. A stream that
//! stayed silent means the origin buffers streams (a proxy): no further job
//! on that origin is given one.

use crate::core::url;

/// Most status streams open at once per origin.
pub const STREAMS_PER_HOST_MAX: usize = 2;

/// How a job is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    Stream,
    Poll,
}

/// What the web layer should change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotChange<K> {
    /// Follow this job with a status stream (a `Follower::new`).
    OpenStream(K),
    /// Follow this job by polling (a `Follower::polling_only`).
    Poll(K),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Tracked<K> {
    job: K,
    origin: String,
    follow: Follow,
    /// Its stream ended early once: it polls from now on.
    no_stream: bool,
}

/// The jobs being followed, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamSlots<K> {
    jobs: Vec<Tracked<K>>,
    /// Origins whose streams stayed silent (buffered).
    buffering: Vec<String>,
}

impl<K> Default for StreamSlots<K> {
    fn default() -> Self {
        Self {
            jobs: Vec::new(),
            buffering: Vec::new(),
        }
    }
}

/// The origin a status URL is counted under ("https://queue.fal.run"), or
/// the text itself when it cannot be read (still one bucket per value).
pub fn origin_of(status_url: &str) -> String {
    url::parse(status_url)
        .map(|u| u.origin())
        .unwrap_or_else(|_| status_url.to_string())
}

impl<K: Clone + PartialEq> StreamSlots<K> {
    pub fn new() -> Self {
        Self::default()
    }

    /// How `job` is followed now, if it is tracked.
    pub fn follow(&self, job: &K) -> Option<Follow> {
        self.jobs.iter().find(|t| &t.job == job).map(|t| t.follow)
    }

    /// Streams open on `origin`.
    pub fn streams_on(&self, origin: &str) -> usize {
        self.jobs
            .iter()
            .filter(|t| t.origin == origin && t.follow == Follow::Stream)
            .count()
    }

    /// A job to follow, whose status calls go to `origin`. Add jobs in the
    /// order they were created (a reload adds them in history order), so
    /// "oldest first" is the order of adding. Adding a tracked job again
    /// changes nothing and repeats its current way of following.
    pub fn add(&mut self, job: K, origin: &str) -> SlotChange<K> {
        if let Some(follow) = self.follow(&job) {
            return change(job, follow);
        }
        let follow = if self.may_stream(origin) {
            Follow::Stream
        } else {
            Follow::Poll
        };
        self.jobs.push(Tracked {
            job: job.clone(),
            origin: origin.to_string(),
            follow,
            no_stream: false,
        });
        change(job, follow)
    }

    /// `job`'s stream ended before the job did; its Follower polls now.
    /// `silent`: nothing came through it at all, so `origin` buffers
    /// streams and no other job there gets one. The freed slot goes to the
    /// oldest polling job on the origin.
    pub fn stream_ended(&mut self, job: &K, silent: bool) -> Vec<SlotChange<K>> {
        let Some(tracked) = self.jobs.iter_mut().find(|t| &t.job == job) else {
            return Vec::new();
        };
        if tracked.follow != Follow::Stream {
            return Vec::new();
        }
        tracked.follow = Follow::Poll;
        tracked.no_stream = true;
        let origin = tracked.origin.clone();
        if silent && !self.buffering.contains(&origin) {
            self.buffering.push(origin.clone());
        }
        self.promote(&origin)
    }

    /// `job` is over (completed, failed, cancelled) or no longer shown:
    /// forget it and give its stream, if it had one, to the oldest polling
    /// job on its origin.
    pub fn finished(&mut self, job: &K) -> Vec<SlotChange<K>> {
        let Some(at) = self.jobs.iter().position(|t| &t.job == job) else {
            return Vec::new();
        };
        let gone = self.jobs.remove(at);
        if gone.follow == Follow::Stream {
            self.promote(&gone.origin)
        } else {
            Vec::new()
        }
    }

    fn may_stream(&self, origin: &str) -> bool {
        !self.buffering.iter().any(|b| b == origin)
            && self.streams_on(origin) < STREAMS_PER_HOST_MAX
    }

    fn promote(&mut self, origin: &str) -> Vec<SlotChange<K>> {
        let mut changes = Vec::new();
        while self.may_stream(origin) {
            let Some(next) = self
                .jobs
                .iter_mut()
                .find(|t| t.origin == origin && t.follow == Follow::Poll && !t.no_stream)
            else {
                break;
            };
            next.follow = Follow::Stream;
            changes.push(SlotChange::OpenStream(next.job.clone()));
        }
        changes
    }
}

fn change<K>(job: K, follow: Follow) -> SlotChange<K> {
    match follow {
        Follow::Stream => SlotChange::OpenStream(job),
        Follow::Poll => SlotChange::Poll(job),
    }
}

#[cfg(test)]
#[path = "stream_slots_tests.rs"]
mod tests;
