//! Where one reference file's upload stands, as its item in the form and
//! the job panel show it.

use crate::core::upload::problem::UploadProblem;
use crate::core::upload::progress::UploadProgress;

/// The stage of one file's upload.
#[derive(Debug, Clone, PartialEq)]
pub enum UploadStage {
    /// Behind another file: files go one at a time, in list order.
    Waiting,
    /// Asking fal (or the proxy) for an upload address.
    Starting,
    /// Bytes are going to the storage host.
    Sending,
    /// All parts are stored; fal's storage is joining them (`complete`).
    Finishing,
    /// Stored at `file_url`, which goes into the model input.
    Done {
        file_url: String,
    },
    Failed(UploadProblem),
    /// The person pressed "Cancel upload" (or cancelled the job).
    Cancelled,
}

/// One file's upload: stage, bytes and speed, and any difficulty being
/// worked around right now.
#[derive(Debug, Clone, PartialEq)]
pub struct FileUpload {
    pub stage: UploadStage,
    pub progress: UploadProgress,
    /// A retry in progress ("Part 3: the connection dropped; trying again
    /// in 2 s"), so a slow moment is explained rather than frozen.
    pub note: Option<String>,
}

impl FileUpload {
    /// A file of `size` bytes waiting its turn.
    pub fn waiting(size: u64) -> Self {
        Self {
            stage: UploadStage::Waiting,
            progress: UploadProgress {
                sent: 0,
                total: size,
                bytes_per_second: None,
            },
            note: None,
        }
    }

    /// True until the upload has ended one way or another: the item then
    /// offers "Cancel upload".
    pub fn is_active(&self) -> bool {
        matches!(
            self.stage,
            UploadStage::Waiting
                | UploadStage::Starting
                | UploadStage::Sending
                | UploadStage::Finishing
        )
    }

    /// True while a progress bar makes sense (the bytes are moving or about
    /// to).
    pub fn shows_progress(&self) -> bool {
        matches!(
            self.stage,
            UploadStage::Starting | UploadStage::Sending | UploadStage::Finishing
        )
    }

    /// The line under the file's name.
    pub fn status_text(&self) -> String {
        match &self.stage {
            UploadStage::Waiting => "Waiting to upload".into(),
            UploadStage::Starting => "Starting the upload\u{2026}".into(),
            UploadStage::Sending => format!("Uploading: {}", self.progress.describe()),
            UploadStage::Finishing => "Uploaded; fal's storage is joining the parts\u{2026}".into(),
            UploadStage::Done { .. } => "Uploaded to fal".into(),
            UploadStage::Failed(problem) => problem.message(),
            UploadStage::Cancelled => {
                "Upload cancelled. Nothing was sent to fal's queue; press Generate to upload it \
                 again."
                    .into()
            }
        }
    }
}

/// All of a job's files as one progress, for the job panel's "Uploading
/// references" status: finished files count whole, the one in flight as far
/// as it got, and the speed is that of the files moving now.
pub fn combined_progress<'a>(
    uploads: impl IntoIterator<Item = &'a FileUpload>,
) -> Option<UploadProgress> {
    let mut combined = UploadProgress {
        sent: 0,
        total: 0,
        bytes_per_second: None,
    };
    let mut any = false;
    for upload in uploads {
        any = true;
        combined.total += upload.progress.total;
        combined.sent += match upload.stage {
            UploadStage::Done { .. } | UploadStage::Finishing => upload.progress.total,
            UploadStage::Sending => upload.progress.sent,
            _ => 0,
        };
        if upload.stage == UploadStage::Sending {
            if let Some(speed) = upload.progress.bytes_per_second {
                combined.bytes_per_second = Some(combined.bytes_per_second.unwrap_or(0.0) + speed);
            }
        }
    }
    any.then_some(combined)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::fal::error::NetworkFailure;

    fn sending(sent: u64, total: u64, speed: Option<f64>) -> FileUpload {
        FileUpload {
            stage: UploadStage::Sending,
            progress: UploadProgress {
                sent,
                total,
                bytes_per_second: speed,
            },
            note: None,
        }
    }

    #[test]
    fn each_stage_reads_as_one_line() {
        let mut upload = FileUpload::waiting(5_000_000);
        assert_eq!(upload.status_text(), "Waiting to upload");
        assert!(upload.is_active() && !upload.shows_progress());
        upload.stage = UploadStage::Starting;
        assert!(upload.shows_progress());
        let moving = sending(1_500_000, 5_000_000, Some(2_000_000.0));
        assert_eq!(
            moving.status_text(),
            "Uploading: 1.5 MB of 5 MB · 2 MB/s · 2 s left"
        );
        upload.stage = UploadStage::Done {
            file_url: "https://v3.fal.media/files/a.mp4".into(),
        };
        assert_eq!(upload.status_text(), "Uploaded to fal");
        assert!(!upload.is_active() && !upload.shows_progress());
        upload.stage = UploadStage::Cancelled;
        assert!(upload.status_text().starts_with("Upload cancelled."));
        assert!(!upload.is_active());
        upload.stage = UploadStage::Failed(UploadProblem::Network {
            failure: NetworkFailure::Unreachable,
            storage: true,
            via_proxy: false,
        });
        assert!(upload.status_text().contains("CORS"));
        assert!(!upload.is_active());
    }

    #[test]
    fn the_job_sees_all_files_as_one_progress() {
        let done = FileUpload {
            stage: UploadStage::Done {
                file_url: "https://x/a.png".into(),
            },
            ..FileUpload::waiting(1_000_000)
        };
        let moving = sending(4_000_000, 10_000_000, Some(5_000_000.0));
        let waiting = FileUpload::waiting(9_000_000);
        let all = combined_progress([&done, &moving, &waiting]).unwrap();
        assert_eq!((all.sent, all.total), (5_000_000, 20_000_000));
        assert_eq!(all.bytes_per_second, Some(5_000_000.0));
        assert_eq!(all.describe(), "5 MB of 20 MB · 5 MB/s · 3 s left");
        assert_eq!(combined_progress([]), None);
        let unmeasured = combined_progress([&sending(1, 2, None)]).unwrap();
        assert_eq!(unmeasured.bytes_per_second, None);
    }
}
