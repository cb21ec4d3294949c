//! Reading each reference video's length as it arrives, for the cost.

use std::collections::HashSet;
use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};

use super::context::FormContext;
use crate::core::form::references::{ReferenceId, ReferenceSource, VideoLength};
use crate::core::media::playback::{browser_plays_h264, H264_MP4};
use crate::web::video_duration::{can_play_type, read_video_duration};

/// A local file answers at once unless it is broken.
const FILE_TIMEOUT: Duration = Duration::from_secs(10);
/// A web host may be slow; after this the length counts as unknown.
const URL_TIMEOUT: Duration = Duration::from_secs(15);

/// Starts a read for every video whose length is [`VideoLength::Reading`],
/// once each. A local file that cannot be read is refused (fal could not
/// read it either, and its cost is unknowable); a link that cannot be read
/// only makes its length unknown, since the host may block browsers but
/// serve fal.
pub fn use_video_lengths(ctx: FormContext) {
    // Keyed by entry and source, so a file put in an entry's place while
    // the old one is being read gets its own read.
    let in_flight = StoredValue::new(HashSet::<(ReferenceId, String)>::new());
    Effect::new(move |_| {
        let waiting: Vec<(ReferenceId, ReferenceSource)> = ctx.state.with(|s| {
            s.references
                .items()
                .iter()
                .filter(|r| r.length == Some(VideoLength::Reading))
                .map(|r| (r.id, r.source.clone()))
                .collect()
        });
        for (id, source) in waiting {
            let (src, is_file) = match &source {
                ReferenceSource::Url(url) => (url.clone(), false),
                ReferenceSource::File(_) => {
                    let url = ctx
                        .media
                        .with_value(|m| m.get(&id).map(|m| m.url.as_str().to_string()));
                    let Some(url) = url else {
                        // No object URL means no access to the bytes.
                        ctx.state.update(|s| {
                            s.references.refuse_unreadable_video(
                                id,
                                "the browser did not give access to the file",
                            )
                        });
                        continue;
                    };
                    (url, true)
                }
                ReferenceSource::FileToAddAgain(_) => continue,
            };
            let key = (id, src.clone());
            if in_flight.with_value(|f| f.contains(&key)) {
                continue;
            }
            in_flight.update_value(|f| {
                f.insert(key.clone());
            });
            spawn_local(async move {
                let result =
                    read_video_duration(&src, if is_file { FILE_TIMEOUT } else { URL_TIMEOUT })
                        .await;
                in_flight.try_update_value(|f| f.remove(&key));
                // Apply only if the entry still holds what was read.
                let _ = ctx.state.try_update(|s| {
                    if s.references.get(id).map(|r| &r.source) != Some(&source) {
                        return;
                    }
                    match (result, is_file) {
                        (Ok(millis), _) => s
                            .references
                            .set_video_length(id, VideoLength::Known { millis }),
                        // The browser's limit, not the file's: say so.
                        (Err(_), true) if !browser_plays_h264(&can_play_type(H264_MP4)) => {
                            s.references.refuse_video_this_browser_cannot_decode(id)
                        }
                        (Err(reason), true) => s.references.refuse_unreadable_video(id, reason),
                        (Err(_), false) => s.references.set_video_length(id, VideoLength::Unknown),
                    }
                });
            });
        }
    });
}
