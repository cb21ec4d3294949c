//! Random numbers for the seed dice and local job ids. Not for secrets: a
//! seed only has to be unpredictable enough to give a different video.

/// 32 random bits.
pub fn random_u32() -> u32 {
    (js_sys::Math::random() * 4_294_967_296.0) as u32
}

/// A number in `0.0..1.0`.
pub fn random_fraction() -> f64 {
    js_sys::Math::random()
}
