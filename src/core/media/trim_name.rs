//! The name a trimmed file is uploaded under: the original's name with the
//! range, so the person (and fal's storage listing) can tell trims apart.

use crate::core::model::fixed_decimals::fixed;

/// `dance.mp4` cut from 3.0 s to 6.0 s is `dance-trim-3.0-6.0.mp4`.
pub fn trimmed_file_name(original: &str, start: f64, end: f64) -> String {
    let range = format!("trim-{}-{}", fixed(start, 1), fixed(end, 1));
    match original.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() => format!("{stem}-{range}.{ext}"),
        _ if original.is_empty() => format!("video-{range}"),
        _ => format!("{original}-{range}"),
    }
}

#[cfg(test)]
mod tests {
    use super::trimmed_file_name;

    #[test]
    fn names_carry_the_range_before_the_extension() {
        assert_eq!(
            trimmed_file_name("dance.mp4", 3.0, 6.0),
            "dance-trim-3.0-6.0.mp4"
        );
        assert_eq!(
            trimmed_file_name("my.clip.MOV", 2.04, 10.0),
            "my.clip-trim-2.0-10.0.MOV"
        );
        assert_eq!(trimmed_file_name("noext", 0.0, 1.5), "noext-trim-0.0-1.5");
        assert_eq!(
            trimmed_file_name(".hidden", 0.0, 1.0),
            ".hidden-trim-0.0-1.0"
        );
        assert_eq!(trimmed_file_name("", 0.0, 1.0), "video-trim-0.0-1.0");
    }
}
