//! TEMPORARY stand-in for `wan_r2v_studio::core::media::probe` (branch
//! `media`, not merged yet): same interface, reads nothing. Removed at the
//! merge; until then every reference video counts as unreadable.

pub const PROBE_READ_LIMIT: u64 = 1 << 20;

#[derive(Debug, Clone, PartialEq)]
#[allow(dead_code)]
pub enum DurationProbe {
    Seconds(f64),
    NeedBytes { offset: u64, len: u64 },
    Unreadable(String),
}

pub fn probe_duration(_buf_offset: u64, _buf: &[u8], _file_len: Option<u64>) -> DurationProbe {
    DurationProbe::Unreadable("the MP4 reader is not merged yet".to_owned())
}
