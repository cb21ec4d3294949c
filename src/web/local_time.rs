//! Dates in the person's own time zone and language, which only the
//! browser knows.

use std::cell::OnceCell;

use wasm_bindgen::JsValue;

thread_local! {
    /// One formatter for the page's life: `Date.toLocaleString` with
    /// options builds a new `Intl.DateTimeFormat` on every call, which
    /// cost Chromium about a millisecond each, 25 ms for the dates of a
    /// History panel's first drawing in the middle of an upload's start.
    static FORMAT: OnceCell<js_sys::Function> = const { OnceCell::new() };
}

/// "24 Nov 2026, 10:42" (or however the browser's locale writes it).
pub fn date_time(ms: u64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
    FORMAT.with(|format| {
        format
            .get_or_init(new_format)
            .call1(&JsValue::NULL, &date)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default()
    })
}

/// Builds the formatter at an idle moment, so the first dates drawn (the
/// History panel's) do not pay for it.
pub fn prepare_when_idle() {
    super::idle::run_when_idle(|| {
        FORMAT.with(|format| {
            format.get_or_init(new_format);
        });
    });
}

/// How [`date_time`] writes a moment, as `Intl.DateTimeFormat` options:
/// the date with a short month, and the time to the minute.
pub fn date_time_options() -> js_sys::Object {
    let options = js_sys::Object::new();
    for (key, value) in [
        ("year", "numeric"),
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    options
}

fn new_format() -> js_sys::Function {
    // The bound `format` getter: callable without its formatter as `this`.
    js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &date_time_options()).format()
}

/// The same moment as a machine-readable ISO 8601 string, for `<time datetime>`.
pub fn iso(ms: u64) -> String {
    js_sys::Date::new(&JsValue::from_f64(ms as f64))
        .to_iso_string()
        .into()
}

/// The person's offset east of UTC at `ms`, in minutes (UTC+1 is 60), so the
/// core can say "today" and reset times in their own time.
pub fn utc_offset_minutes(ms: u64) -> i32 {
    -(js_sys::Date::new(&JsValue::from_f64(ms as f64)).get_timezone_offset() as i32)
}
