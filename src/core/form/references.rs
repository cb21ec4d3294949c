//! The reference images and videos attached to a request, in the order the
//! person arranged them.
//!
//! Order matters: the upstream Wan 2.7 model reads "Image 1", "Image 2",
//! "Video 1"… in the prompt, numbering images and videos separately in the
//! order of `reference_image_urls` and `reference_video_urls`
//! (docs/fal-protocol.md §9.4). The labels shown next to each item are
//! therefore computed here from the list, never stored, so a remove or a
//! reorder can never leave a stale number on screen.

use crate::core::form::trim_range::{Trim, UploadedTrim};
use crate::core::model::byte_size::format_bytes;
use crate::core::model::pricing::{format_tenths, millis_to_tenths};
use crate::core::model::reference_media::{assess_file, LocalFile, Refusal};
use crate::core::model::validation::ReferenceKind;
use crate::core::url;

/// Stable identity of one reference. It survives reorders, so the UI can key
/// rows by it and keep a file's object URL with the right item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReferenceId(pub u64);

/// Where a reference's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceSource {
    /// A web address that fal's runners download themselves.
    Url(String),
    /// A file added in this page session; it is uploaded at Generate.
    File(LocalFile),
    /// A file that was in the form before the page reloaded. Browsers do not
    /// let a page keep a file's bytes, so the person has to add it again; the
    /// entry keeps its place so the prompt's labels still line up.
    FileToAddAgain(LocalFile),
}

/// What is known about a reference video's length, which fal bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoLength {
    /// The browser is reading the video's metadata.
    Reading,
    /// Read from the video's metadata, in milliseconds.
    Known { millis: u64 },
    /// The host did not let the browser read it (refused, CORS, offline).
    Unknown,
}

/// A reference's label as the prompt uses it: "Image 2", "Video 1".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReferenceLabel {
    pub kind: ReferenceKind,
    /// 1-based, counted separately per kind.
    pub number: usize,
}

impl std::fmt::Display for ReferenceLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let word = match self.kind {
            ReferenceKind::Image => "Image",
            ReferenceKind::Video => "Video",
        };
        write!(f, "{word} {}", self.number)
    }
}

/// One entry of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub id: ReferenceId,
    pub source: ReferenceSource,
    /// `None` only for a file of a type that is neither image nor video.
    pub kind: Option<ReferenceKind>,
    /// For videos: what is known of the length. `None` for images.
    pub length: Option<VideoLength>,
    /// Set when the reference cannot be sent.
    pub refusal: Option<Refusal>,
    /// For a local file: where fal's storage serves it once uploaded. The
    /// request then uses this URL and the file is not uploaded again (also
    /// after a reload, which keeps this but not the file's bytes).
    pub uploaded_url: Option<String>,
    /// For a local video: the part of it to send instead of the whole.
    pub trim: Option<Trim>,
    /// Trims of this file already on fal's storage, by range.
    pub trim_uploads: Vec<UploadedTrim>,
}

impl Reference {
    /// The file's name, or the URL, for lists and messages.
    pub fn display_name(&self) -> &str {
        match &self.source {
            ReferenceSource::Url(url) => url,
            ReferenceSource::File(file) | ReferenceSource::FileToAddAgain(file) => &file.name,
        }
    }

    /// The line under the name: the link's host or the file's size, then
    /// what is known of a video's length ("v3.fal.media · 4.2 s",
    /// "1.4 MB · reading length…").
    pub fn details(&self) -> String {
        let mut parts = Vec::new();
        match &self.source {
            ReferenceSource::Url(text) => {
                if let Ok(parsed) = url::parse(text) {
                    parts.push(parsed.host);
                }
            }
            ReferenceSource::File(file) | ReferenceSource::FileToAddAgain(file) => {
                parts.push(format_bytes(file.size))
            }
        }
        match self.length {
            Some(VideoLength::Known { millis }) => {
                parts.push(format_tenths(millis_to_tenths(millis)))
            }
            Some(VideoLength::Reading) => parts.push("reading length\u{2026}".into()),
            Some(VideoLength::Unknown) => parts.push("length unknown".into()),
            None => {}
        }
        if let Some(Ok(planned)) = self.trim.as_ref().map(|t| &t.outcome) {
            parts.push(planned.details());
        }
        parts.join(" \u{b7} ")
    }

    /// True when this entry would go into the request (possibly after an
    /// upload): everything except refused entries.
    pub fn is_numbered(&self) -> bool {
        self.refusal.is_none() && self.kind.is_some()
    }
}

/// The ordered list of references, with the operations the form offers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct References {
    items: Vec<Reference>,
    next_id: u64,
}

impl References {
    /// Every entry, in order.
    pub fn items(&self) -> &[Reference] {
        &self.items
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn get(&self, id: ReferenceId) -> Option<&Reference> {
        self.items.iter().find(|r| r.id == id)
    }

    pub(super) fn get_mut(&mut self, id: ReferenceId) -> Option<&mut Reference> {
        self.items.iter_mut().find(|r| r.id == id)
    }

    fn position(&self, id: ReferenceId) -> Option<usize> {
        self.items.iter().position(|r| r.id == id)
    }

    fn push(
        &mut self,
        source: ReferenceSource,
        kind: Option<ReferenceKind>,
        refusal: Option<Refusal>,
    ) -> ReferenceId {
        let id = ReferenceId(self.next_id);
        self.next_id += 1;
        let length = match (kind, &source, &refusal) {
            (Some(ReferenceKind::Video), ReferenceSource::FileToAddAgain(_), _) => None,
            (Some(ReferenceKind::Video), _, None) => Some(VideoLength::Reading),
            _ => None,
        };
        self.items.push(Reference {
            id,
            source,
            kind,
            length,
            refusal,
            uploaded_url: None,
            trim: None,
            trim_uploads: Vec::new(),
        });
        id
    }

    /// Adds a picked, dropped or pasted file. Its type and size are checked
    /// at once; a refused file stays in the list with the reason, so the
    /// person sees what happened to it. A video starts in
    /// [`VideoLength::Reading`] until the browser reports its length.
    pub fn add_file(&mut self, file: LocalFile) -> ReferenceId {
        let (kind, refusal) = assess_file(&file);
        self.push(ReferenceSource::File(file), kind, refusal)
    }

    /// Adds a web address of the given kind. The caller has checked the URL
    /// (see `check_reference_url`); a video's length is then read.
    pub fn add_url(&mut self, url: &str, kind: ReferenceKind) -> ReferenceId {
        self.push(
            ReferenceSource::Url(url.trim().to_string()),
            Some(kind),
            None,
        )
    }

    /// Adds a file remembered from before a reload, to be added again.
    pub fn add_file_to_add_again(&mut self, file: LocalFile, kind: ReferenceKind) -> ReferenceId {
        self.push(ReferenceSource::FileToAddAgain(file), Some(kind), None)
    }

    /// Adds a URL whose video length was already known (restored form).
    pub fn add_url_with_length(
        &mut self,
        url: &str,
        kind: ReferenceKind,
        length: Option<VideoLength>,
    ) -> ReferenceId {
        let id = self.add_url(url, kind);
        if let (Some(length), Some(item)) = (length, self.get_mut(id)) {
            item.length = Some(length);
        }
        id
    }

    /// Puts a newly chosen file in the place of an entry (used for "Add
    /// again", so the prompt's labels keep pointing at the same slot).
    /// Returns false when `id` is gone.
    pub fn replace_with_file(&mut self, id: ReferenceId, file: LocalFile) -> bool {
        let (kind, refusal) = assess_file(&file);
        let Some(item) = self.get_mut(id) else {
            return false;
        };
        item.length = match (kind, &refusal) {
            (Some(ReferenceKind::Video), None) => Some(VideoLength::Reading),
            _ => None,
        };
        item.source = ReferenceSource::File(file);
        item.kind = kind;
        item.refusal = refusal;
        item.uploaded_url = None;
        item.trim = None;
        item.trim_uploads.clear();
        true
    }

    /// Keeps the URL fal's storage gave an uploaded file. Ignored (false)
    /// when the entry no longer holds that same file: it was removed,
    /// refused, or replaced while the upload ran.
    pub fn record_upload(&mut self, id: ReferenceId, file: &LocalFile, url: &str) -> bool {
        match self.get_mut(id) {
            Some(item)
                if item.refusal.is_none() && item.source == ReferenceSource::File(file.clone()) =>
            {
                item.uploaded_url = Some(url.to_owned());
                true
            }
            _ => false,
        }
    }

    /// Adds a file remembered from before a reload that was already
    /// uploaded: usable as it is, through its fal URL, with no bytes here.
    /// A video's length comes from the saved form (unknown if not saved).
    pub fn add_uploaded_file(
        &mut self,
        file: LocalFile,
        kind: ReferenceKind,
        url: &str,
        length: Option<VideoLength>,
    ) -> ReferenceId {
        let id = self.push(ReferenceSource::File(file), Some(kind), None);
        if let Some(item) = self.get_mut(id) {
            item.uploaded_url = Some(url.to_owned());
            if kind == ReferenceKind::Video {
                item.length = Some(length.unwrap_or(VideoLength::Unknown));
            }
        }
        id
    }

    /// Turns a file entry whose bytes the page no longer has into one to
    /// add again, keeping its place. False when `id` is not a local file.
    pub fn forget_file(&mut self, id: ReferenceId) -> bool {
        let Some(item) = self.get_mut(id) else {
            return false;
        };
        let ReferenceSource::File(file) = &item.source else {
            return false;
        };
        item.source = ReferenceSource::FileToAddAgain(file.clone());
        item.length = None;
        item.trim = None;
        true
    }

    /// The entry after `id`, else the one before: where attention goes
    /// when `id` is removed. `None` when it is the only one (or gone).
    pub fn neighbour(&self, id: ReferenceId) -> Option<ReferenceId> {
        let index = self.position(id)?;
        self.items
            .get(index + 1)
            .or_else(|| index.checked_sub(1).and_then(|i| self.items.get(i)))
            .map(|r| r.id)
    }

    /// Removes an entry and returns it; later entries move up a number.
    pub fn remove(&mut self, id: ReferenceId) -> Option<Reference> {
        let index = self.position(id)?;
        Some(self.items.remove(index))
    }

    /// Swaps an entry with the one before it. False at the top or if gone.
    pub fn move_up(&mut self, id: ReferenceId) -> bool {
        match self.position(id) {
            Some(index) if index > 0 => {
                self.items.swap(index, index - 1);
                true
            }
            _ => false,
        }
    }

    /// Swaps an entry with the one after it. False at the bottom or if gone.
    pub fn move_down(&mut self, id: ReferenceId) -> bool {
        match self.position(id) {
            Some(index) if index + 1 < self.items.len() => {
                self.items.swap(index, index + 1);
                true
            }
            _ => false,
        }
    }

    /// Records what the browser found out about a video's length. Ignored
    /// for entries that are gone or are not videos.
    pub fn set_video_length(&mut self, id: ReferenceId, length: VideoLength) {
        if let Some(item) = self.get_mut(id) {
            if item.kind == Some(ReferenceKind::Video) && item.refusal.is_none() {
                item.length = Some(length);
            }
        }
    }

    /// Refuses a local video the browser could not read.
    pub fn refuse_unreadable_video(&mut self, id: ReferenceId, reason: impl Into<String>) {
        if let Some(item) = self.get_mut(id) {
            item.length = None;
            item.refusal = Some(Refusal::UnreadableVideo {
                reason: reason.into(),
            });
        }
    }

    /// Refuses a local video because this browser decodes no H.264, so the
    /// length of no MP4 can be read here (core/video_playback.rs).
    pub fn refuse_video_this_browser_cannot_decode(&mut self, id: ReferenceId) {
        if let Some(item) = self.get_mut(id) {
            item.length = None;
            item.refusal = Some(Refusal::BrowserCannotDecodeVideo);
        }
    }

    /// The label of an entry, or `None` when it is refused or gone.
    pub fn label(&self, id: ReferenceId) -> Option<ReferenceLabel> {
        self.labelled()
            .find(|(r, _)| r.id == id)
            .and_then(|(_, l)| l)
    }

    /// Every entry with its label. Refused entries get none and do not
    /// count, because they will not be sent.
    pub fn labelled(&self) -> impl Iterator<Item = (&Reference, Option<ReferenceLabel>)> {
        let mut images = 0;
        let mut videos = 0;
        self.items.iter().map(move |item| {
            let label = match item.kind {
                Some(kind) if item.is_numbered() => {
                    let counter = match kind {
                        ReferenceKind::Image => &mut images,
                        ReferenceKind::Video => &mut videos,
                    };
                    *counter += 1;
                    Some(ReferenceLabel {
                        kind,
                        number: *counter,
                    })
                }
                _ => None,
            };
            (item, label)
        })
    }
}

#[cfg(test)]
#[path = "references_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "uploaded_url_tests.rs"]
mod uploaded_url_tests;
