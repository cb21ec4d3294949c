//! ISO base media boxes: reading one box header, and walking the children of
//! a box held in memory. Sizes come from the file, so every size is checked
//! against what encloses it before it is used.

use super::bytes::ByteReader;

/// A box type such as `moov`.
pub type FourCc = [u8; 4];

/// A box header: its type, how many bytes the header itself takes, and the
/// whole box's size when the header states one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoxHeader {
    pub kind: FourCc,
    pub header_len: u64,
    /// `None`: size 0, the box runs to the end of what encloses it (for a
    /// top-level box, the end of the file).
    pub size: Option<u64>,
}

/// What the bytes at a box boundary say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderRead {
    Header(BoxHeader),
    /// Fewer bytes than a header needs.
    Short,
    /// A size that no box can have.
    Invalid(String),
}

/// Reads the header at the start of `bytes`.
pub fn read_header(bytes: &[u8]) -> HeaderRead {
    let mut r = ByteReader::new(bytes);
    let (Some(size32), Some(kind)) = (r.u32(), r.array::<4>()) else {
        return HeaderRead::Short;
    };
    let (mut header_len, size) = match size32 {
        0 => (8, None),
        1 => match r.u64() {
            Some(large) if large >= 16 => (16, Some(large)),
            Some(large) => {
                return HeaderRead::Invalid(format!(
                "the box '{}' states a 64-bit size of {large} bytes, smaller than its own header",
                fourcc_text(kind)
            ))
            }
            None => return HeaderRead::Short,
        },
        2..=7 => {
            return HeaderRead::Invalid(format!(
                "the box '{}' states a size of {size32} bytes, smaller than its own header",
                fourcc_text(kind)
            ))
        }
        n => (8, Some(u64::from(n))),
    };
    if &kind == b"uuid" {
        header_len += 16;
        if r.skip(16).is_none() {
            return HeaderRead::Short;
        }
        if size.is_some_and(|s| s < header_len) {
            return HeaderRead::Invalid("a 'uuid' box is smaller than its own header".into());
        }
    }
    HeaderRead::Header(BoxHeader {
        kind,
        header_len,
        size,
    })
}

/// A box type as text for messages; bytes that are not printable ASCII
/// show as `?` so a hostile file cannot put control characters on screen.
pub fn fourcc_text(kind: FourCc) -> String {
    kind.iter()
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '?'
            }
        })
        .collect()
}

/// Whether every byte of a box type is printable ASCII, as in every box
/// type the standards define. Used to tell an ISO file from other data.
pub fn is_printable(kind: FourCc) -> bool {
    kind.iter().all(|b| (0x20..0x7f).contains(b))
}

/// One child box held in memory.
#[derive(Debug, Clone, Copy)]
pub struct Child<'a> {
    pub kind: FourCc,
    /// Header and payload.
    pub whole: &'a [u8],
    pub payload: &'a [u8],
}

/// The boxes inside a container's payload, in order. Stops with an error
/// at the first child whose size does not fit; every step consumes at least
/// one header, so the walk ends.
pub fn children(payload: &[u8]) -> Children<'_> {
    Children {
        rest: payload,
        failed: false,
    }
}

pub struct Children<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> Iterator for Children<'a> {
    type Item = Result<Child<'a>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.rest.is_empty() {
            return None;
        }
        let result = self.split_next();
        self.failed = result.is_err();
        Some(result)
    }
}

impl<'a> Children<'a> {
    fn split_next(&mut self) -> Result<Child<'a>, String> {
        let header = match read_header(self.rest) {
            HeaderRead::Header(h) => h,
            HeaderRead::Short => {
                return Err(format!(
                    "{} stray bytes where a box header should be",
                    self.rest.len()
                ))
            }
            HeaderRead::Invalid(why) => return Err(why),
        };
        let available = self.rest.len() as u64;
        let size = header.size.unwrap_or(available);
        if size > available {
            return Err(format!(
                "the box '{}' states {size} bytes but only {available} are left in what holds it",
                fourcc_text(header.kind)
            ));
        }
        let (whole, rest) = self.rest.split_at(size as usize);
        self.rest = rest;
        Ok(Child {
            kind: header.kind,
            whole,
            payload: &whole[header.header_len as usize..],
        })
    }
}

/// The first child of the given type, if any.
pub fn find_child<'a>(payload: &'a [u8], kind: &FourCc) -> Result<Option<Child<'a>>, String> {
    for child in children(payload) {
        let child = child?;
        if &child.kind == kind {
            return Ok(Some(child));
        }
    }
    Ok(None)
}

/// The box at a path of types below `payload`, such as `mdia/minf/stbl`.
pub fn find_path<'a>(payload: &'a [u8], path: &[&FourCc]) -> Result<Option<Child<'a>>, String> {
    let mut current: Option<Child<'a>> = None;
    let mut inside = payload;
    for kind in path {
        match find_child(inside, kind)? {
            Some(child) => {
                inside = child.payload;
                current = Some(child);
            }
            None => return Ok(None),
        }
    }
    Ok(current)
}
