//! "Keep a copy": finished videos saved in this browser's Cache Storage, so
//! a result someone paid for still plays after fal's CDN lets it go.
//!
//! Each copy is stored under the video's own URL with a header giving its
//! size, so the space used is summed without reading any video back.
//! Cache Storage exists only on secure pages (https, or localhost).

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Cache, Headers, Response, ResponseInit};

use super::download::save_object_url;
use super::object_url::ObjectUrl;

/// The cache holding kept videos; versioned in case the layout changes.
pub const CACHE_NAME: &str = "wan-r2v-studio.kept-videos.v1";
const SIZE_HEADER: &str = "x-kept-bytes";

/// One kept video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptVideo {
    pub url: String,
    pub bytes: u64,
}

/// True when this page can keep copies at all.
pub fn is_supported() -> bool {
    web_sys::window().is_some_and(|w| {
        w.is_secure_context() && Reflect::has(&w, &JsValue::from_str("caches")).unwrap_or(false)
    })
}

async fn open() -> Result<Cache, String> {
    if !is_supported() {
        return Err(
            "This page is not served over HTTPS, so the browser offers no place to keep \
                    videos."
                .into(),
        );
    }
    let window = web_sys::window().ok_or("there is no browser window")?;
    let caches = window
        .caches()
        .map_err(|_| "The browser refused access to its storage for this site.")?;
    JsFuture::from(caches.open(CACHE_NAME))
        .await
        .map_err(|_| "The browser refused access to its storage for this site.".to_string())?
        .dyn_into()
        .map_err(|_| "The browser's storage answered strangely.".to_string())
}

/// Downloads `url` and keeps it. The error says what to do instead.
pub async fn keep(url: &str) -> Result<KeptVideo, String> {
    let cache = open().await?;
    let window = web_sys::window().ok_or("there is no browser window")?;
    let cannot_read = "The video's host did not let the studio read the file (it may be gone, or \
                       it does not allow other sites to fetch it), so no copy was kept. Use \
                       Download instead.";
    let response: Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| cannot_read.to_string())?
        .dyn_into()
        .map_err(|_| cannot_read.to_string())?;
    if !response.ok() {
        return Err(format!(
            "The video's host answered HTTP {}, so no copy was kept.",
            response.status()
        ));
    }
    let content_type = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_else(|| "video/mp4".into());
    let blob: Blob = JsFuture::from(response.blob().map_err(|_| cannot_read.to_string())?)
        .await
        .map_err(|_| "The download stopped before the end, so no copy was kept.".to_string())?
        .dyn_into()
        .map_err(|_| cannot_read.to_string())?;
    let bytes = blob.size() as u64;
    let headers = Headers::new().map_err(|_| cannot_read.to_string())?;
    let _ = headers.set("content-type", &content_type);
    let _ = headers.set(SIZE_HEADER, &bytes.to_string());
    let init = ResponseInit::new();
    init.set_headers(&headers);
    let copy = Response::new_with_opt_blob_and_init(Some(&blob), &init)
        .map_err(|_| cannot_read.to_string())?;
    JsFuture::from(cache.put_with_str(url, &copy))
        .await
        .map_err(|_| {
            "The browser refused to store the video: its storage for this site may be full. Free \
             some space and try again."
                .to_string()
        })?;
    Ok(KeptVideo {
        url: url.to_string(),
        bytes,
    })
}

/// Every kept video with its size.
pub async fn list() -> Result<Vec<KeptVideo>, String> {
    let cache = open().await?;
    let keys: Array = JsFuture::from(cache.keys())
        .await
        .map_err(|_| "The browser's storage could not be read.".to_string())?
        .unchecked_into();
    let mut kept = Vec::new();
    for request in keys.iter() {
        let Ok(request) = request.dyn_into::<web_sys::Request>() else {
            continue;
        };
        let url = request.url();
        let bytes = match JsFuture::from(cache.match_with_str(&url)).await {
            Ok(found) => found
                .dyn_into::<Response>()
                .ok()
                .and_then(|r| r.headers().get(SIZE_HEADER).ok().flatten())
                .and_then(|size| size.parse().ok())
                .unwrap_or(0),
            Err(_) => 0,
        };
        kept.push(KeptVideo { url, bytes });
    }
    Ok(kept)
}

/// A `blob:` URL playing the kept copy of `url`, if there is one.
pub async fn play_url(url: &str) -> Option<ObjectUrl> {
    let cache = open().await.ok()?;
    let found = JsFuture::from(cache.match_with_str(url)).await.ok()?;
    let response: Response = found.dyn_into().ok()?;
    let blob: Blob = JsFuture::from(response.blob().ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    ObjectUrl::new(&blob).ok()
}

/// Saves the kept copy of `url` as a file named `file_name`: the way to get
/// a paid video out of the browser once fal's CDN no longer has it. False
/// when there is no copy or the browser refused.
pub async fn save_as_file(url: &str, file_name: &str) -> bool {
    match play_url(url).await {
        Some(object) => save_object_url(object, file_name),
        None => false,
    }
}

/// Deletes the kept copy of `url` (nothing if there is none).
pub async fn forget(url: &str) -> Result<(), String> {
    let cache = open().await?;
    JsFuture::from(cache.delete_with_str(url))
        .await
        .map(|_| ())
        .map_err(|_| "The browser did not delete the copy.".to_string())
}

/// Deletes every kept copy.
pub async fn forget_all() -> Result<(), String> {
    let window = web_sys::window().ok_or("there is no browser window")?;
    let caches = window
        .caches()
        .map_err(|_| "The browser refused access to its storage for this site.")?;
    JsFuture::from(caches.delete(CACHE_NAME))
        .await
        .map(|_| ())
        .map_err(|_| "The browser did not delete the copies.".to_string())
}

/// What the browser says this site uses and may use, in bytes (all of the
/// site's storage, not only kept videos).
pub async fn estimate() -> Option<(u64, u64)> {
    let navigator = web_sys::window()?.navigator();
    if !Reflect::has(&navigator, &JsValue::from_str("storage")).unwrap_or(false) {
        return None;
    }
    let promise = navigator.storage().estimate().ok()?;
    let estimate: web_sys::StorageEstimate = JsFuture::from(promise).await.ok()?.unchecked_into();
    Some((estimate.get_usage()? as u64, estimate.get_quota()? as u64))
}
