//! Carries out a core [`UploadPlan`] for one local file: initiate (through
//! the proxy when there is one), then the byte transfers straight to the
//! storage host, then `complete` for multipart uploads.

use std::num::NonZeroUsize;

use crate::core::base_url::BaseUrl;
use crate::core::fal_error::FalError;
use crate::core::transport::Transport;
use crate::core::upload_plan::{LocalFile, UploadPlan, DEFAULT_PART_CONCURRENCY};

use super::fetch::{send, FetchFailure};
use super::timer::now_ms;

fn now_secs() -> u64 {
    now_ms() / 1000
}

fn failed(failure: FetchFailure) -> FalError {
    match failure {
        FetchFailure::Network(network) => FalError::network(network),
        FetchFailure::Aborted => {
            FalError::network(crate::core::fal_error::NetworkFailure::Interrupted)
        }
    }
}

/// Uploads `file` and returns the URL fal's storage will serve it from,
/// which is what goes into the model input.
pub async fn upload_file(
    file: &web_sys::File,
    transport: &Transport,
    rest: &BaseUrl,
) -> Result<String, FalError> {
    let local = LocalFile {
        name: file.name(),
        content_type: file.type_(),
        size: file.size() as u64,
    };
    let concurrency = NonZeroUsize::new(DEFAULT_PART_CONCURRENCY).unwrap_or(NonZeroUsize::MIN);
    let plan = UploadPlan::new(&local, concurrency);

    let initiate = transport.prepare(&plan.initiate(rest));
    let answer = send(&initiate, None, None).await.map_err(failed)?;
    let target = UploadPlan::parse_initiate(&answer, now_secs())?;

    let mut parts = Vec::new();
    let transfers = plan.transfers(&target)?;
    for (index, call) in transfers.iter().enumerate() {
        let request = transport.prepare(call);
        let answer = send(&request, Some(file), None).await.map_err(failed)?;
        if plan.is_multipart() {
            parts.push(UploadPlan::parse_part(
                plan.parts[index].part_number,
                &answer,
                now_secs(),
            )?);
        } else {
            UploadPlan::parse_transfer(&answer, now_secs())?;
        }
    }
    if plan.is_multipart() {
        let complete = transport.prepare(&plan.complete(&target, &parts)?);
        let answer = send(&complete, None, None).await.map_err(failed)?;
        UploadPlan::parse_transfer(&answer, now_secs())?;
    }
    Ok(target.file_url)
}
