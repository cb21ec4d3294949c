//! Parts of the app the release build loads on first use instead of at
//! the first load (issue 19's first-load budget; ARCHITECTURE.md, "Parts
//! loaded on demand").
//!
//! [`on_demand!`] declares an async function as the door to a part. In the
//! release wasm (`not(debug_assertions)`) it is a `wasm_split` point:
//! tools/split-wasm moves the code only reachable through the doors of one
//! part into a separate `.wasm`, fetched the first time one of them is
//! called. Debug builds and the browser tests (`cargo test --target
//! wasm32-unknown-unknown`) compile the same function as an ordinary async
//! function, so they need no splitter; they never fail to load.
//!
//! Every door returns `Result<_, PartUnavailable>`: a part that does not
//! arrive (the network dropped) is a value the caller shows where the
//! feature is, never a panic, and the next call tries the fetch again.

/// A part of the app could not be fetched from the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartUnavailable;

impl From<leptos::wasm_split::SplitLoaderError> for PartUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        // The loader has already written the cause to the console.
        PartUnavailable
    }
}

/// `on_demand! { part = NAME; async fn door(owned args) -> Output { body } }`
/// (or without `-> Output`, for `()`)
///
/// Declares `door`, called as `door(args).await` and giving
/// `Result<Output, PartUnavailable>`. Every door naming the same `NAME`
/// loads the same part. The arguments must be owned (`'static`): the call
/// crosses from the main module into the part. The body must not `return`
/// (it is the value of an async block).
macro_rules! on_demand {
    (
        part = $part:ident;
        $(#[$attr:meta])*
        $vis:vis async fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block
    ) => {
        $crate::ui::on_demand::on_demand! {
            part = $part;
            $(#[$attr])*
            $vis async fn $name($($arg: $ty),*) -> () $body
        }
    };
    (
        part = $part:ident;
        $(#[$attr:meta])*
        $vis:vis async fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $out:ty $body:block
    ) => {
        $(#[$attr])*
        #[cfg_attr(
            all(target_family = "wasm", not(debug_assertions)),
            ::leptos::wasm_split::wasm_split(
                $part,
                wasm_split_path = ::leptos::wasm_split,
                fallible,
                return_wrapper(
                    let future = _;
                    { future.await }
                    -> ::core::result::Result<$out, $crate::ui::on_demand::PartUnavailable>
                )
            )
        )]
        $vis fn $name(
            $($arg: $ty),*
        ) -> ::core::pin::Pin<
            ::std::boxed::Box<
                dyn ::core::future::Future<
                    Output = ::core::result::Result<$out, $crate::ui::on_demand::PartUnavailable>,
                >,
            >,
        > {
            ::std::boxed::Box::pin(async move { ::core::result::Result::Ok($body) })
        }
    };
}

pub(crate) use on_demand;

/// The view a door gives, in place once its part has arrived (nothing
/// until then; at once when the door's future is ready at its first poll);
/// if the part does not arrive, `unavailable()`: an alert where the feature
/// would be, saying how to try again. Built again (so the fetch is tried
/// again) whenever the caller's view is.
///
/// Not a `Suspend`: a `Suspend` rebuilt in place keeps the old view on
/// screen until the new one arrives, while its owner's signals are already
/// disposed, and a render effect of the old view that fires then aborts
/// the page (it did in the job panel, whose phase changes under it). Here
/// a rebuild drops the old view at once, and a view that arrives after its
/// owner was cleaned up is dropped unseen.
pub fn on_demand_view(
    door: impl std::future::Future<Output = Result<leptos::prelude::AnyView, PartUnavailable>> + 'static,
    unavailable: impl FnOnce() -> leptos::prelude::AnyView + 'static,
) -> impl leptos::prelude::IntoView {
    use leptos::prelude::*;
    use std::future::Future;
    use std::task::{Context, Poll, Waker};

    let arrived = RwSignal::new_local(None::<AnyView>);
    let mut view =
        Box::pin(async move { door.await.unwrap_or_else(|PartUnavailable| unavailable()) });
    match view.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(ready) => arrived.set(Some(ready)),
        Poll::Pending => leptos::task::spawn_local_scoped_with_cancellation(async move {
            let _ = arrived.try_set(Some(view.await));
        }),
    }
    move || {
        arrived.track();
        arrived.try_update_untracked(Option::take).flatten()
    }
}

/// What stands where a feature would be when its part did not arrive: an
/// alert with `text`, which says what is kept and how to try again.
pub fn unavailable_alert(text: &'static str) -> leptos::prelude::AnyView {
    use leptos::prelude::*;
    view! { <p class="job-trouble" role="alert">{text}</p> }.into_any()
}
