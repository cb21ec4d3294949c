//! Every live job, by id, bounded: a submit beyond [`MAX_JOBS`] live jobs
//! is refused, and expired jobs are dropped, though not on every lookup.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::jobs::{Job, Phase};

/// Live jobs kept at once; a submit beyond this is answered 429.
pub const MAX_JOBS: usize = 10_000;
/// How often every job is looked at to drop expired ones.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// All jobs by id.
#[derive(Debug, Default)]
pub struct JobStore {
    jobs: HashMap<String, Job>,
    last_sweep: Option<Instant>,
}

impl JobStore {
    pub fn insert(&mut self, job: Job) {
        self.jobs.insert(job.id.clone(), job);
    }

    /// Whether another job fits (after dropping expired ones).
    pub fn has_room(&mut self, now: Instant) -> bool {
        if self.jobs.len() >= MAX_JOBS {
            self.last_sweep = None;
            self.sweep(now);
        }
        self.jobs.len() < MAX_JOBS
    }

    /// Drops expired jobs, at most once a second: a status stream looks
    /// its job up many times a second, and must not walk every job.
    fn sweep(&mut self, now: Instant) {
        if self
            .last_sweep
            .is_none_or(|last| now.duration_since(last) >= SWEEP_EVERY)
        {
            self.last_sweep = Some(now);
            self.jobs.retain(|_, job| job.phase(now) != Phase::Expired);
        }
    }

    /// A live job (not expired).
    pub fn get_mut(&mut self, id: &str, now: Instant) -> Option<&mut Job> {
        self.sweep(now);
        if self.jobs.get(id)?.phase(now) == Phase::Expired {
            self.jobs.remove(id);
            return None;
        }
        self.jobs.get_mut(id)
    }

    pub fn remove(&mut self, id: &str) {
        self.jobs.remove(id);
    }

    pub fn clear(&mut self) {
        self.jobs.clear();
    }

    /// `[{request_id, status}]` for the control API.
    pub fn describe(&self, now: Instant) -> Value {
        let mut jobs: Vec<&Job> = self.jobs.values().collect();
        jobs.sort_by_key(|j| j.submitted);
        json!(jobs
            .iter()
            .map(|j| json!({ "request_id": j.id, "phase": format!("{:?}", j.phase(now)) }))
            .collect::<Vec<_>>())
    }
}
