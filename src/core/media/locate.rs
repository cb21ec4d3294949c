//! Finds the header boxes of a video file sans-IO: it says which byte range
//! to read next, and is fed the bytes. It walks the top-level boxes by their
//! headers only and then reads `ftyp` and `moov` whole, so the media data of
//! a 1 GB file is never read.

use super::boxes::{fourcc_text, is_printable, read_header, FourCc, HeaderRead};
use super::media_index::MediaIndex;
use super::trim_plan::ByteRange;
use super::trim_refusal::TrimRefusal;

/// The largest `moov` read into memory. A `moov` grows with the number of
/// frames: 64 MiB is far beyond any file under a few GB.
pub const MOOV_LIMIT: u64 = 64 << 20;
/// How much is read at each top-level box boundary: enough for `ftyp` and,
/// in a file whose `moov` comes first, usually `moov` too.
pub const HEAD_READ: u64 = 64 << 10;
/// Reads before giving up: each read moves past at least one box.
const MAX_READS: usize = 64;
const MAX_TOP_LEVEL_BOXES: usize = 4096;
const FTYP_LIMIT: u64 = 1 << 16;
const FIRST_BOXES: [&FourCc; 9] = [
    b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot", b"uuid", b"junk",
];

/// What to do next.
#[derive(Debug, Clone, PartialEq)]
pub enum LocateStep {
    /// Read these bytes of the file and pass them to [`BoxLocator::feed`].
    Read(ByteRange),
    /// The header boxes are read and indexed.
    Found(Box<MediaIndex>),
    Refused(TrimRefusal),
}

#[derive(Debug, Clone)]
pub struct BoxLocator {
    file_len: u64,
    /// The next top-level box boundary to look at.
    pos: u64,
    boxes: usize,
    reads: usize,
    /// The range asked for last.
    asked: ByteRange,
    ftyp: Option<Vec<u8>>,
}

impl BoxLocator {
    /// Starts on a file of `file_len` bytes; the step is the first read.
    pub fn new(file_len: u64) -> (Self, LocateStep) {
        let mut locator = BoxLocator {
            file_len,
            pos: 0,
            boxes: 0,
            reads: 0,
            asked: ByteRange { offset: 0, len: 0 },
            ftyp: None,
        };
        let step = if file_len == 0 {
            LocateStep::Refused(TrimRefusal::NotIsoMedia("the file is empty".into()))
        } else {
            locator.read(0, HEAD_READ)
        };
        (locator, step)
    }

    /// Takes the bytes of the range the last step asked for.
    pub fn feed(&mut self, bytes: &[u8]) -> LocateStep {
        if bytes.len() as u64 != self.asked.len {
            return refused(TrimRefusal::Malformed(format!(
                "asked for {} bytes at {} and got {}",
                self.asked.len,
                self.asked.offset,
                bytes.len()
            )));
        }
        let base = self.asked.offset;
        while self.pos < self.file_len {
            if self.boxes >= MAX_TOP_LEVEL_BOXES {
                return refused(TrimRefusal::Malformed("too many top-level boxes".into()));
            }
            let rel = (self.pos - base) as usize;
            let header = match bytes.get(rel..).map(read_header) {
                Some(HeaderRead::Header(h)) => h,
                Some(HeaderRead::Invalid(why)) => return refused(TrimRefusal::Malformed(why)),
                Some(HeaderRead::Short) | None if self.pos == base => {
                    return refused(TrimRefusal::Malformed(
                        "the file ends inside a box header".into(),
                    ))
                }
                Some(HeaderRead::Short) | None => return self.read(self.pos, HEAD_READ),
            };
            let kind = header.kind;
            if self.boxes == 0 && !FIRST_BOXES.contains(&&kind) {
                return refused(TrimRefusal::NotIsoMedia(format!(
                    "it starts with '{}'",
                    fourcc_text(kind)
                )));
            }
            if !is_printable(kind) {
                return refused(TrimRefusal::Malformed(format!(
                    "the data at byte {} is not a box",
                    self.pos
                )));
            }
            let size = header.size.unwrap_or(self.file_len - self.pos);
            let end = self
                .pos
                .checked_add(size)
                .filter(|&end| end <= self.file_len);
            let Some(end) = end else {
                return refused(TrimRefusal::Malformed(format!(
                    "the box '{}' runs past the end of the file (the file is cut short)",
                    fourcc_text(kind)
                )));
            };
            match &kind {
                b"moof" => return refused(TrimRefusal::Fragmented),
                b"ftyp" | b"moov" => {
                    let limit = if &kind == b"ftyp" {
                        FTYP_LIMIT
                    } else {
                        MOOV_LIMIT
                    };
                    if size > limit {
                        return refused(if &kind == b"moov" {
                            TrimRefusal::HeaderTooLarge(size)
                        } else {
                            TrimRefusal::Malformed("the ftyp box is implausibly large".into())
                        });
                    }
                    let Some(whole) = bytes.get(rel..rel + size as usize) else {
                        return self.read(self.pos, size);
                    };
                    if &kind == b"moov" {
                        return match MediaIndex::parse(self.ftyp.as_deref(), whole, self.file_len) {
                            Ok(index) => LocateStep::Found(Box::new(index)),
                            Err(refusal) => refused(refusal),
                        };
                    }
                    if self.boxes == 0 {
                        self.ftyp = Some(whole.to_vec());
                    }
                }
                _ => {}
            }
            self.boxes += 1;
            self.pos = end;
        }
        refused(TrimRefusal::NoSampleIndex)
    }

    fn read(&mut self, offset: u64, len: u64) -> LocateStep {
        self.reads += 1;
        if self.reads > MAX_READS {
            return refused(TrimRefusal::Malformed(format!(
                "no moov box among the first {} top-level boxes",
                self.boxes
            )));
        }
        let len = len.min(self.file_len - offset);
        self.asked = ByteRange { offset, len };
        LocateStep::Read(self.asked)
    }
}

fn refused(refusal: TrimRefusal) -> LocateStep {
    LocateStep::Refused(refusal)
}
