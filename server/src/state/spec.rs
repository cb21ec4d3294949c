//! `--state`: a file path (the embedded store) or `redis://HOST:PORT`.

use std::path::{Path, PathBuf};

use crate::start_error::StartError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateSpec {
    File(PathBuf),
    /// `redis://` or `rediss://` URL, as given.
    Redis(String),
}

const FILE_NAME: &str = "wan-r2v-server/state.sqlite3";

impl StateSpec {
    /// Reads `--state`. Without it: `$XDG_STATE_HOME/wan-r2v-server/…`,
    /// else `~/.local/state/wan-r2v-server/…`.
    pub fn choose(
        flag: Option<&str>,
        xdg_state_home: Option<&str>,
        home: Option<&str>,
    ) -> Result<Self, StartError> {
        let usable = |v: &&str| !v.trim().is_empty();
        match flag {
            Some(url) if url.starts_with("redis://") || url.starts_with("rediss://") => {
                Ok(StateSpec::Redis(url.to_owned()))
            }
            Some(other) if other.contains("://") => Err(StartError::State(format!(
                "--state {other:?}: give a file path or redis://HOST:PORT"
            ))),
            Some(path) if usable(&path) => Ok(StateSpec::File(PathBuf::from(path))),
            Some(_) => Err(StartError::State("--state is empty".to_owned())),
            None => {
                // XDG: a relative $XDG_STATE_HOME is invalid and ignored.
                let base = match (xdg_state_home.filter(usable), home.filter(usable)) {
                    (Some(xdg), _) if Path::new(xdg).is_absolute() => PathBuf::from(xdg),
                    (_, Some(home)) => Path::new(home).join(".local/state"),
                    _ => {
                        return Err(StartError::State(
                            "neither XDG_STATE_HOME nor HOME is set; pass --state PATH".to_owned(),
                        ))
                    }
                };
                Ok(StateSpec::File(base.join(FILE_NAME)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_redis_a_path_or_the_xdg_default() {
        assert_eq!(
            StateSpec::choose(Some("redis://127.0.0.1:6379"), None, None).unwrap(),
            StateSpec::Redis("redis://127.0.0.1:6379".into())
        );
        assert_eq!(
            StateSpec::choose(Some("/var/lib/x.db"), None, None).unwrap(),
            StateSpec::File("/var/lib/x.db".into())
        );
        assert!(StateSpec::choose(Some("postgres://x"), None, None).is_err());
        assert_eq!(
            StateSpec::choose(None, Some("/xdg"), Some("/home/a")).unwrap(),
            StateSpec::File("/xdg/wan-r2v-server/state.sqlite3".into())
        );
        assert_eq!(
            StateSpec::choose(None, Some("relative"), Some("/home/a")).unwrap(),
            StateSpec::File("/home/a/.local/state/wan-r2v-server/state.sqlite3".into())
        );
        assert!(StateSpec::choose(None, None, None).is_err());
    }
}
