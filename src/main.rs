//! The browser entry point; everything else lives in the library so tests can
//! mount the same components.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(wan_r2v_studio::App);
}
