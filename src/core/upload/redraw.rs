//! When a file's item is redrawn with a new [`FileUpload`]: at once for
//! what a person must see at once (a new stage, a note appearing or going,
//! the end), and for bytes and speed at most every [`REDRAW_EVERY_MS`].
//!
//! Each redraw updates the item and the job panel (text, two progress
//! bars), and the browser then restyles, lays out and paints the page: work
//! on the page's main thread while parts are on the wire. The uploader's
//! view changes on every progress event (about every 50 ms per part in
//! flight) and on every answer; five redraws a second read as smooth.

use crate::core::upload::file_status::FileUpload;

/// The shortest time between two redraws that only move bytes and speed.
pub const REDRAW_EVERY_MS: u64 = 200;

/// True when `next` should be shown now, given what is on screen (`shown`,
/// `None` before the first redraw) and how long ago it was drawn.
pub fn worth_redrawing(shown: Option<&FileUpload>, next: &FileUpload, since_ms: u64) -> bool {
    let Some(shown) = shown else {
        return true;
    };
    if shown.stage != next.stage || shown.note != next.note {
        return true;
    }
    shown.progress != next.progress && since_ms >= REDRAW_EVERY_MS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::upload::file_status::UploadStage;

    fn sending(sent: u64) -> FileUpload {
        let mut upload = FileUpload::waiting(100 * 1024 * 1024);
        upload.stage = UploadStage::Sending;
        upload.progress.sent = sent;
        upload
    }

    #[test]
    fn the_first_view_is_drawn() {
        assert!(worth_redrawing(None, &sending(0), 0));
    }

    #[test]
    fn bytes_alone_wait_their_turn() {
        let shown = sending(1_000);
        assert!(!worth_redrawing(Some(&shown), &sending(2_000), 50));
        assert!(!worth_redrawing(
            Some(&shown),
            &sending(2_000),
            REDRAW_EVERY_MS - 1
        ));
        assert!(worth_redrawing(
            Some(&shown),
            &sending(2_000),
            REDRAW_EVERY_MS
        ));
    }

    #[test]
    fn the_same_view_is_never_drawn_twice() {
        let shown = sending(1_000);
        assert!(!worth_redrawing(Some(&shown), &sending(1_000), 10_000));
    }

    #[test]
    fn a_new_stage_or_note_is_drawn_at_once() {
        let shown = sending(1_000);
        let mut finishing = sending(1_000);
        finishing.stage = UploadStage::Finishing;
        assert!(worth_redrawing(Some(&shown), &finishing, 0));
        let done = FileUpload {
            stage: UploadStage::Done {
                file_url: "https://v3.fal.media/files/x.mp4".into(),
            },
            ..sending(1_000)
        };
        assert!(worth_redrawing(Some(&finishing), &done, 0));

        let mut retrying = sending(1_000);
        retrying.note = Some("Part 3: the connection dropped; trying again in 2 s".into());
        assert!(worth_redrawing(Some(&shown), &retrying, 0));
        assert!(
            worth_redrawing(Some(&retrying), &sending(1_000), 0),
            "the note goes at once"
        );
    }
}
