//! "Keep a copy": which videos are kept in this browser, the space they use,
//! and freeing it. The History panel reads and changes it through context.

use leptos::{prelude::*, task::spawn_local};

use crate::core::history::panel_text::persistence_text;
use crate::core::model::byte_size::format_bytes;
use crate::ui::common::SmallButton;
use crate::ui::history::store::HistoryStore;
use crate::web::video_cache::{self, KeptVideo};

/// Kept copies, as the page knows them. `Copy`; provided by the panel.
#[derive(Clone, Copy)]
pub struct KeptCopies {
    /// Every kept video and its size.
    pub videos: RwSignal<Vec<KeptVideo>>,
    /// Videos being downloaded into the cache now.
    pub saving: RwSignal<Vec<String>>,
    /// What the browser says the whole site uses and may use, in bytes.
    pub estimate: RwSignal<Option<(u64, u64)>>,
    /// The last thing that went wrong, in words.
    pub problem: RwSignal<Option<String>>,
    /// False on pages without Cache Storage (plain http).
    pub supported: bool,
    store: HistoryStore,
}

impl KeptCopies {
    /// Reads what is kept.
    pub fn new(store: HistoryStore) -> Self {
        let this = Self {
            videos: RwSignal::new(Vec::new()),
            saving: RwSignal::new(Vec::new()),
            estimate: RwSignal::new(None),
            problem: RwSignal::new(None),
            supported: video_cache::is_supported(),
            store,
        };
        this.refresh();
        this
    }

    /// Reads the cache and the browser's estimate again.
    pub fn refresh(&self) {
        if !self.supported {
            return;
        }
        let this = *self;
        spawn_local(async move {
            match video_cache::list().await {
                Ok(videos) => this.set_videos(|v| *v = videos),
                Err(problem) => {
                    this.problem.try_set(Some(problem));
                }
            }
            this.estimate.try_set(video_cache::estimate().await);
        });
    }

    /// Changes the list of kept videos, and the history's "do not evict
    /// these" list with it (a paid result someone kept is never evicted).
    /// Quietly does nothing once the page is gone.
    fn set_videos(&self, change: impl FnOnce(&mut Vec<KeptVideo>)) {
        let urls = self.videos.try_update(|v| {
            change(v);
            v.iter().map(|k| k.url.clone()).collect::<Vec<_>>()
        });
        if let Some(urls) = urls {
            self.store.kept_videos.try_set(urls);
        }
    }

    /// The size of the kept copy of `url` (tracks changes).
    pub fn size_of(&self, url: &str) -> Option<u64> {
        self.videos
            .with(|v| v.iter().find(|k| k.url == url).map(|k| k.bytes))
    }

    pub fn is_saving(&self, url: &str) -> bool {
        self.saving.with(|s| s.iter().any(|u| u == url))
    }

    /// "Keep a copy" of `url`.
    pub fn keep(&self, url: String) {
        let this = *self;
        this.problem.set(None);
        this.saving.update(|s| s.push(url.clone()));
        spawn_local(async move {
            let outcome = video_cache::keep(&url).await;
            this.saving.try_update(|s| s.retain(|u| *u != url));
            match outcome {
                Ok(kept) => this.set_videos(|v| {
                    v.retain(|k| k.url != kept.url);
                    v.push(kept);
                }),
                Err(problem) => {
                    this.problem.try_set(Some(problem));
                }
            }
            this.estimate.try_set(video_cache::estimate().await);
        });
    }

    /// "Save kept copy": the kept video as a download named `file_name`.
    pub fn save(&self, url: String, file_name: String) {
        let this = *self;
        spawn_local(async move {
            if !video_cache::save_as_file(&url, &file_name).await {
                this.problem.try_set(Some(
                    "The kept copy could not be read back; it may have been removed by the browser."
                        .into(),
                ));
            }
        });
    }

    /// Deletes the kept copy of `url`.
    pub fn forget(&self, url: String) {
        let this = *self;
        spawn_local(async move {
            match video_cache::forget(&url).await {
                Ok(()) => this.set_videos(|v| v.retain(|k| k.url != url)),
                Err(problem) => {
                    this.problem.try_set(Some(problem));
                }
            }
            this.estimate.try_set(video_cache::estimate().await);
        });
    }

    /// "Free space": deletes every kept copy.
    pub fn forget_all(&self) {
        let this = *self;
        spawn_local(async move {
            match video_cache::forget_all().await {
                Ok(()) => this.set_videos(Vec::clear),
                Err(problem) => {
                    this.problem.try_set(Some(problem));
                }
            }
            this.estimate.try_set(video_cache::estimate().await);
        });
    }

    /// "2 videos kept · 3.4 MB" (tracks changes).
    pub fn summary(&self) -> String {
        self.videos.with(|videos| {
            let bytes: u64 = videos.iter().map(|k| k.bytes).sum();
            match videos.len() {
                0 => "No videos kept in this browser".into(),
                1 => format!("1 video kept in this browser · {}", format_bytes(bytes)),
                n => format!("{n} videos kept in this browser · {}", format_bytes(bytes)),
            }
        })
    }
}

/// The space line and "Free space" button above the history list.
#[component]
pub fn KeptCopiesSummary(
    /// The page's kept copies.
    kept: KeptCopies,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let any = move || kept.videos.with(|v| !v.is_empty());
    let estimate = move || {
        kept.estimate.get().map(|(usage, quota)| {
            format!(
                "(This site's storage in the browser: {} used of {}.)",
                format_bytes(usage),
                format_bytes(quota)
            )
        })
    };
    view! {
        <div class="kept-summary">
            <p class="kept-summary-line" role="status" hidden=!kept.supported>
                <span class="kept-summary-count">{move || kept.summary()}</span>
                " "
                <span class="field-hint">{estimate}</span>
                " "
                <span class="field-hint storage-persistence">{move || persistence_text(kept.store.persistent.get())}</span>
            </p>
            <p class="field-hint" hidden=kept.supported>
                "Keeping copies of videos needs the studio to be served over HTTPS."
            </p>
            <SmallButton label="Free space" hidden=Signal::derive(move || !any() || confirming.get())
                on_press=Callback::new(move |()| confirming.set(true))/>
            <div class="history-confirm" role="group" aria-label="Free space" hidden=move || !confirming.get()>
                <p>"Delete every kept copy? The history keeps the jobs; their videos play from fal's CDN for as long as fal keeps them."</p>
                <SmallButton label="Delete kept copies" danger=true
                    on_press=Callback::new(move |()| { kept.forget_all(); confirming.set(false); })/>
                <SmallButton label="Keep them" on_press=Callback::new(move |()| confirming.set(false))/>
            </div>
            <p class="job-trouble" role="alert" hidden=move || kept.problem.with(Option::is_none)>
                {move || kept.problem.get()}
            </p>
        </div>
    }
}
