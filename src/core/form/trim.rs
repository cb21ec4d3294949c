//! A local reference video cut down before it is uploaded, as the form
//! uses it: fal bills every second of every reference video, so a trimmed
//! reference is billed (and checked against fal's 100 MB limit) by its
//! planned cut, not by the original; and the cuts already uploaded are kept
//! by range, so a rerun of the same original and range sends the stored
//! URL instead of uploading again. The data itself is in `trim_range.rs`.

pub use crate::core::form::trim_range::{
    parse_seconds_field, PlannedTrim, SentTrim, Trim, TrimRange, UploadedTrim,
};

use crate::core::form::references::VideoLength;
use crate::core::form::references::{Reference, ReferenceId, ReferenceSource, References};
use crate::core::model::byte_size::{format_bytes_in, ByteUnit};
use crate::core::model::pricing::BilledLength;
use crate::core::model::reference_media::LocalFile;
use crate::core::model::validation::ReferenceKind;

/// Where a reference's URL in the request comes from.
pub enum Slot<'a> {
    /// A link, or a file (or this cut of it) already on fal's storage.
    Url(&'a str),
    /// A local file to upload first: the original, and the range of it to
    /// cut and upload instead when it is trimmed.
    Upload(&'a LocalFile, Option<TrimRange>),
}

impl Reference {
    /// The planned cut of a local video, when it is trimmed.
    pub fn planned_trim(&self) -> Option<&PlannedTrim> {
        match (&self.source, &self.trim) {
            (ReferenceSource::File(_), Some(trim)) => trim.outcome.as_ref().ok(),
            _ => None,
        }
    }

    /// What the request sends for this reference.
    pub fn slot(&self) -> Slot<'_> {
        let trimmed = self.planned_trim().and(self.trim.as_ref()).map(|t| t.range);
        match (&self.source, trimmed, &self.uploaded_url) {
            (ReferenceSource::Url(url), _, _) => Slot::Url(url),
            (ReferenceSource::File(file), Some(range), _) => match self.uploaded_trim(range) {
                Some(url) => Slot::Url(url),
                None => Slot::Upload(file, Some(range)),
            },
            (_, _, Some(url)) => Slot::Url(url),
            (ReferenceSource::File(file) | ReferenceSource::FileToAddAgain(file), _, None) => {
                Slot::Upload(file, None)
            }
        }
    }

    /// The length fal bills for this reference: a trimmed video's planned
    /// cut, else the video's own length.
    pub fn billed_length(&self) -> BilledLength {
        if let Some(planned) = self.planned_trim() {
            return BilledLength::Known {
                millis: planned.billed_millis(),
            };
        }
        match self.length {
            Some(VideoLength::Known { millis }) => BilledLength::Known { millis },
            Some(VideoLength::Reading) => BilledLength::Reading,
            Some(VideoLength::Unknown) | None => BilledLength::Unknown,
        }
    }

    /// The URL a trim of this range was uploaded to, if it was.
    pub fn uploaded_trim(&self, range: TrimRange) -> Option<&str> {
        self.trim_uploads
            .iter()
            .find(|u| u.range == range)
            .map(|u| u.url.as_str())
    }

    /// The problem with sending this local file as it stands: a video over
    /// fal's limit untrimmed or trimmed too little, or a range that cannot
    /// be cut.
    pub fn trim_problem(&self) -> Option<String> {
        let ReferenceSource::File(file) = &self.source else {
            return None;
        };
        let max = ReferenceKind::Video.max_bytes();
        match &self.trim {
            Some(Trim {
                outcome: Err(why), ..
            }) => Some(why.clone()),
            Some(Trim {
                outcome: Ok(planned),
                ..
            }) if planned.bytes > max => Some(format!(
                "The trimmed video is {}; fal accepts videos up to {}. Shorten the range.",
                format_bytes_in(planned.bytes, ByteUnit::Megabytes),
                format_bytes_in(max, ByteUnit::Megabytes)
            )),
            None if self.kind == Some(ReferenceKind::Video) && file.size > max => Some(format!(
                "This video is {}; fal accepts videos up to {}. Trim it to send a part of it.",
                format_bytes_in(file.size, ByteUnit::Megabytes),
                format_bytes_in(max, ByteUnit::Megabytes)
            )),
            _ => None,
        }
    }
}

impl References {
    /// Sets (or with `None` removes) the trim of a local video. Ignored for
    /// entries that are gone or are not local, unrefused videos.
    pub fn set_trim(&mut self, id: ReferenceId, trim: Option<Trim>) {
        if let Some(item) = self.get_mut(id) {
            let trimmable = matches!(item.source, ReferenceSource::File(_))
                && item.kind == Some(ReferenceKind::Video)
                && item.refusal.is_none();
            if trimmable {
                item.trim = trim;
            }
        }
    }

    /// Keeps the URL of an uploaded trim of `original`, so the same range
    /// is not uploaded again. Ignored (false) when the entry no longer
    /// holds that original.
    pub fn record_trim_upload(
        &mut self,
        id: ReferenceId,
        original: &LocalFile,
        range: TrimRange,
        url: &str,
    ) -> bool {
        match self.get_mut(id) {
            Some(item) if item.source == ReferenceSource::File(original.clone()) => {
                item.trim_uploads.retain(|u| u.range != range);
                item.trim_uploads.push(UploadedTrim {
                    range,
                    url: url.to_owned(),
                });
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
#[path = "trim_tests.rs"]
mod tests;
