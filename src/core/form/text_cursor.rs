//! Inserting a reference label ("Image 1") into the prompt where the cursor
//! is.
//!
//! Positions here are counted in characters (Unicode code points), the unit
//! fal counts the prompt in. Browsers report a textarea's selection in UTF-16
//! code units, which differ for anything outside the Basic Multilingual Plane
//! (most emoji), so the two conversions below sit at that boundary.

/// The text after inserting, and where the cursor goes (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inserted {
    pub text: String,
    pub cursor: usize,
}

/// Replaces the selection `start..end` (characters; clamped to the text)
/// with `label`, adding a space on either side where the label would
/// otherwise run into a word. The cursor ends just after the label.
pub fn insert_label(text: &str, start: usize, end: usize, label: &str) -> Inserted {
    let length = text.chars().count();
    let start = start.min(length);
    let end = end.clamp(start, length);
    let start_byte = byte_index(text, start);
    let end_byte = byte_index(text, end);
    let (before, after) = (&text[..start_byte], &text[end_byte..]);

    let needs_space_before = before
        .chars()
        .next_back()
        .is_some_and(|c| !c.is_whitespace() && !"([{\"'“‘".contains(c));
    let needs_space_after = after
        .chars()
        .next()
        .is_some_and(|c| !c.is_whitespace() && !",.;:!?)]}\"'”’".contains(c));

    let mut inserted = String::with_capacity(label.len() + 2);
    if needs_space_before {
        inserted.push(' ');
    }
    inserted.push_str(label);
    let cursor = start + inserted.chars().count();
    if needs_space_after {
        inserted.push(' ');
    }
    Inserted {
        text: format!("{before}{inserted}{after}"),
        cursor,
    }
}

/// The byte offset of the `chars`-th character (or the end).
fn byte_index(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(byte, _)| byte)
}

/// A browser selection offset (UTF-16 code units) as a character count.
/// An offset inside a surrogate pair counts the whole character.
pub fn utf16_to_chars(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (chars, c) in text.chars().enumerate() {
        if units >= utf16 {
            return chars;
        }
        units += c.len_utf16();
    }
    text.chars().count()
}

/// A character count as a browser selection offset (UTF-16 code units).
pub fn chars_to_utf16(text: &str, chars: usize) -> usize {
    text.chars().take(chars).map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_at_the_cursor_with_spaces_where_needed() {
        let r = insert_label("A cat walks", 5, 5, "Image 1");
        assert_eq!(r.text, "A cat Image 1 walks");
        assert_eq!(r.cursor, 13);

        let r = insert_label("A portrait of", 13, 13, "Image 1");
        assert_eq!(r.text, "A portrait of Image 1");
        assert_eq!(r.cursor, 21);

        let r = insert_label("", 0, 0, "Video 1");
        assert_eq!((r.text.as_str(), r.cursor), ("Video 1", 7));

        let r = insert_label("with .", 5, 5, "Image 2");
        assert_eq!(r.text, "with Image 2.");

        let r = insert_label("(", 1, 1, "Image 2");
        assert_eq!(r.text, "(Image 2");
    }

    #[test]
    fn replaces_a_selection() {
        let r = insert_label("the dog runs", 4, 7, "Image 1");
        assert_eq!(r.text, "the Image 1 runs");
        assert_eq!(r.cursor, 11);
        // A reversed or out-of-range selection is clamped, not a panic.
        let r = insert_label("abc", 10, 2, "Image 1");
        assert_eq!(r.text, "abc Image 1");
    }

    #[test]
    fn counts_characters_not_bytes() {
        // "é" is 2 bytes, "猫" 3 and "🎬" 4: a byte offset would split them.
        let text = "é猫🎬 runs";
        let r = insert_label(text, 3, 3, "Video 1");
        assert_eq!(r.text, "é猫🎬 Video 1 runs");
        assert_eq!(r.cursor, 11);
        let r = insert_label(text, 1, 1, "Image 1");
        assert_eq!(r.text, "é Image 1 猫🎬 runs");
        assert_eq!(r.text.chars().nth(r.cursor), Some(' '));
    }

    #[test]
    fn converts_browser_utf16_offsets() {
        let text = "a🎬b";
        // UTF-16: a=1 unit, 🎬=2 units, b=1 unit.
        assert_eq!(utf16_to_chars(text, 0), 0);
        assert_eq!(utf16_to_chars(text, 1), 1);
        assert_eq!(utf16_to_chars(text, 3), 2);
        assert_eq!(utf16_to_chars(text, 4), 3);
        assert_eq!(utf16_to_chars(text, 2), 2, "inside the pair: after it");
        assert_eq!(utf16_to_chars(text, 99), 3);
        assert_eq!(chars_to_utf16(text, 2), 3);
        assert_eq!(chars_to_utf16(text, 3), 4);
        assert_eq!(chars_to_utf16("é猫", 2), 2);
    }
}
