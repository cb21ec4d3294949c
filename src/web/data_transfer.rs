//! What a drop or a paste carries: files, or text (links).

use wasm_bindgen::JsCast;

/// The useful part of a `DataTransfer`.
pub enum Transfer {
    /// Files from the desktop, a file manager or the clipboard.
    Files(Vec<web_sys::File>),
    /// Text, such as a copied link; for drops, the dragged link.
    Text(String),
    /// Nothing the form can use.
    Nothing,
}

/// Reads files first (a copied image also carries text in some browsers),
/// then `text/uri-list`, then plain text.
pub fn read_transfer(data: &web_sys::DataTransfer) -> Transfer {
    let files = data.files().map(file_list).unwrap_or_default();
    if !files.is_empty() {
        return Transfer::Files(files);
    }
    for format in ["text/uri-list", "text/plain"] {
        if let Ok(text) = data.get_data(format) {
            // uri-list allows comment lines starting with '#'.
            let text: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect();
            if !text.is_empty() {
                return Transfer::Text(text.join("\n"));
            }
        }
    }
    Transfer::Nothing
}

/// A `FileList` as a vector.
pub fn file_list(list: web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

/// True when the event happened in a text field, where a paste of text
/// belongs to the field and not to the references.
pub fn is_text_entry(target: Option<web_sys::EventTarget>) -> bool {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return false;
    };
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA") || element.is_content_editable()
}
