//! Dates in the person's own time zone and language, which only the
//! browser knows.

use wasm_bindgen::JsValue;

/// "24/11/2026, 10:42" (or however the browser's locale writes it).
pub fn date_time(ms: u64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms as f64));
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
    date.to_locale_string("default", &options).into()
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
