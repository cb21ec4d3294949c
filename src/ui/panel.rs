//! A titled section of the page.

use leptos::prelude::*;

/// One of the page's main sections, labelled by its heading so screen readers
/// announce it as a region.
#[component]
pub fn Panel(
    /// The element id, used as a link target (the skip link jumps to `request`).
    id: &'static str,
    /// The visible heading, which is also the region's accessible name.
    title: &'static str,
    /// Extra classes, so each panel can be placed in the grid.
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    let heading_id = format!("{id}-title");
    let labelled_by = heading_id.clone();
    view! {
        <section id=id class=format!("panel {class}") aria-labelledby=labelled_by>
            <h2 class="panel-title" id=heading_id>{title}</h2>
            <div class="panel-body">{children()}</div>
        </section>
    }
}
