//! Each connection is an open file, and with the proxy forwarding to fal a
//! second one for the upstream call. The soft limit many systems start
//! processes with (1024) is below what `--max-connections` allows, so at
//! start-up the soft limit is raised toward the hard one, as far as needed;
//! if the hard limit is too low, one warning says so.

/// Files needed beyond two per connection: the listener, the state store,
/// logs, Redis.
const SPARE: u64 = 64;

/// Raises the soft open-files limit to fit `max_connections`.
#[cfg(unix)]
pub fn fit(max_connections: usize) {
    let needed = 2 * max_connections as u64 + SPARE;
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given, which lives
    // for the call.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return;
    }
    if limit.rlim_cur >= needed {
        return;
    }
    let raised = libc::rlimit {
        rlim_cur: needed.min(limit.rlim_max),
        rlim_max: limit.rlim_max,
    };
    // SAFETY: setrlimit only reads the struct it is given.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
        limit.rlim_cur = raised.rlim_cur;
    }
    if limit.rlim_cur < needed {
        tracing::warn!(
            "the open-files limit is {} (hard limit {}), but --max-connections {max_connections} \
             needs about {needed}; raise it (ulimit -n) or lower --max-connections",
            limit.rlim_cur,
            limit.rlim_max
        );
    }
}

#[cfg(not(unix))]
pub fn fit(_max_connections: usize) {}
