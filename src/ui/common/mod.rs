//! Small components more than one panel uses: the status dot, "Edit and
//! rerun", and the small button the History panel is built from.

mod edit_and_rerun;
mod small_button;
mod status_dot;

pub use edit_and_rerun::{show_loaded_form, EditAndRerun};
pub use small_button::SmallButton;
pub use status_dot::StatusDot;
