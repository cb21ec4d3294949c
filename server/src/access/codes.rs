//! The access-codes file (`--access-codes FILE`, TOML or JSON): each code
//! a deployer hands out, by name, with optional budgets.
//!
//! ```toml
//! [[codes]]
//! name = "alice"
//! sha256 = "<64 hex digits: SHA-256 of the code>"
//! daily_usd = 5        # optional, overrides --identity-budget-daily
//! monthly_usd = 40     # optional
//! ```
//!
//! The file holds SHA-256 hashes, never the codes. The codes are random
//! tokens with 256 bits of entropy (`--new-access-code`), so nobody can
//! guess one from its hash, and a fast hash is the right tool: slow
//! password hashes (Argon2, bcrypt) exist to protect guessable passwords
//! and would only add a delay to every proxied call. No secret key either:
//! a key would protect against nothing a 256-bit code does not. Codes are
//! compared hash against hash in constant time, with every entry checked.

use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::budget::money::{parse_usd, Cents};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeEntry {
    pub name: String,
    hash: [u8; 32],
    pub daily: Option<Cents>,
    pub monthly: Option<Cents>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBook {
    entries: Vec<CodeEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    codes: Vec<EntryShape>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryShape {
    name: String,
    sha256: String,
    daily_usd: Option<Amount>,
    monthly_usd: Option<Amount>,
}

/// `5`, `12.5` or `"12.50"`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Amount {
    Number(f64),
    Text(String),
}

impl Amount {
    fn cents(&self) -> Result<Cents, String> {
        let text = match self {
            Amount::Number(n) => n.to_string(),
            Amount::Text(t) => t.clone(),
        };
        parse_usd(&text).map_err(|e| e.to_string())
    }
}

pub fn sha256(code: &str) -> [u8; 32] {
    Sha256::digest(code.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_hash(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut hash = [0u8; 32];
    for (i, byte) in hash.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).ok()?;
    }
    Some(hash)
}

impl CodeBook {
    /// Reads and checks the file; the error names what is wrong and where.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let is_json = path.extension().is_some_and(|e| e == "json")
            || (path.extension().is_none_or(|e| e != "toml") && text.trim_start().starts_with('{'));
        Self::parse(&text, is_json)
    }

    pub fn parse(text: &str, is_json: bool) -> Result<Self, String> {
        let shape: FileShape = if is_json {
            serde_json::from_str(text).map_err(|e| e.to_string())?
        } else {
            toml::from_str(text).map_err(|e| e.to_string().trim().replace('\n', " "))?
        };
        if shape.codes.is_empty() {
            return Err("lists no codes".to_owned());
        }
        let mut entries: Vec<CodeEntry> = Vec::new();
        for (i, entry) in shape.codes.iter().enumerate() {
            let at = |why: String| format!("code {} ({:?}): {why}", i + 1, entry.name);
            let name = entry.name.trim();
            if name.is_empty() || name.len() > 64 || name.chars().any(char::is_control) {
                return Err(at("name must be 1 to 64 printable characters".to_owned()));
            }
            let hash = parse_hash(&entry.sha256).ok_or_else(|| {
                at(
                    "sha256 must be 64 hex digits (the SHA-256 of the code, not the code)"
                        .to_owned(),
                )
            })?;
            if entries.iter().any(|e| e.name == name) {
                return Err(at("the name is used twice".to_owned()));
            }
            if entries.iter().any(|e| e.hash == hash) {
                return Err(at("the same code is listed twice".to_owned()));
            }
            let amount = |a: &Option<Amount>, field: &str| {
                a.as_ref()
                    .map(Amount::cents)
                    .transpose()
                    .map_err(|e| at(format!("{field}: {e}")))
            };
            entries.push(CodeEntry {
                name: name.to_owned(),
                hash,
                daily: amount(&entry.daily_usd, "daily_usd")?,
                monthly: amount(&entry.monthly_usd, "monthly_usd")?,
            });
        }
        Ok(Self { entries })
    }

    /// The entry whose code this is. Every entry is compared, in constant
    /// time, whatever matches.
    pub fn find(&self, code: &str) -> Option<&CodeEntry> {
        let hash = sha256(code.trim());
        let mut found = None;
        for entry in &self.entries {
            if bool::from(entry.hash.ct_eq(&hash)) {
                found = Some(entry);
            }
        }
        found
    }

    /// Whether any code brings its own budget.
    pub fn has_budgets(&self) -> bool {
        self.entries
            .iter()
            .any(|e| e.daily.is_some() || e.monthly.is_some())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A fresh code (256 random bits) and the TOML entry that admits it, for
/// `--new-access-code NAME`.
pub fn new_code(name: &str) -> Result<(String, String), String> {
    let name = name.trim();
    if name.is_empty() || name.len() > 64 || name.chars().any(char::is_control) {
        return Err("a code's name must be 1 to 64 printable characters".to_owned());
    }
    let mut random = [0u8; 32];
    getrandom::fill(&mut random).map_err(|e| format!("no randomness: {e}"))?;
    let code = format!("wan_{}", hex(&random));
    let entry = format!(
        "[[codes]]\nname = {}\nsha256 = \"{}\"\n",
        toml_string(name),
        hex(&sha256(&code))
    );
    Ok((code, entry))
}

fn toml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_code_by_its_hash_with_its_budgets() {
        let (code, entry) = new_code("alice").unwrap();
        assert!(code.starts_with("wan_") && code.len() == 68);
        assert!(!entry.contains(&code), "the entry holds the hash only");
        let text = format!("{entry}daily_usd = 5\nmonthly_usd = \"40.50\"\n");
        let book = CodeBook::parse(&text, false).unwrap();
        let found = book.find(&code).unwrap();
        assert_eq!(found.name, "alice");
        assert_eq!((found.daily, found.monthly), (Some(500), Some(4050)));
        assert!(book.find("wan_guess").is_none());
        assert!(
            book.find(&format!(" {code}\n")).is_some(),
            "surrounding space is ignored"
        );
        let json = format!(
            r#"{{"codes":[{{"name":"bob","sha256":"{}"}}]}}"#,
            hex(&sha256("c"))
        );
        assert_eq!(
            CodeBook::parse(&json, true)
                .unwrap()
                .find("c")
                .unwrap()
                .name,
            "bob"
        );
    }

    #[test]
    fn refuses_a_malformed_file_naming_the_problem() {
        let h = hex(&sha256("x"));
        let cases = [
            ("codes = []", "lists no codes"),
            ("[[codes]]\nname = \"a\"\ncode = \"plain\"", "code"),
            ("[[codes]]\nname = \"a\"\nsha256 = \"abc\"", "64 hex digits"),
            (
                &format!("[[codes]]\nname = \"a\"\nsha256 = \"{h}\"\ndaily_usd = \"lots\""),
                "daily_usd",
            ),
            (
                &format!(
                    "[[codes]]\nname = \"a\"\nsha256 = \"{h}\"\n[[codes]]\nname = \"a\"\nsha256 = \"{}\"",
                    hex(&sha256("y"))
                ),
                "used twice",
            ),
            ("[[codes]\nname=", "TOML"),
        ];
        for (text, expect) in cases {
            let err = CodeBook::parse(text, false).unwrap_err();
            assert!(err.contains(expect) || expect == "TOML", "{text:?}: {err}");
        }
    }
}
