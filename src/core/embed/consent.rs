//! Consent before an embedding page spends money: a `generate` from the
//! host starts a paid job only once the person allows it inside the frame
//! ("example.com wants to start a job costing $0.50": "Allow once",
//! "Always allow this site", "Deny"), unless the deployer listed the host's
//! origin in `embed_autorun_origins`, or the person chose "Always allow
//! this site" before (remembered per origin, revocable in the Connection
//! panel).

use crate::core::access::refusal::dollars;
use crate::core::embed::gate::normalise_origin;

/// Most origins remembered as always allowed; a longer stored list is cut,
/// keeping the newest.
pub const MAX_REMEMBERED: usize = 50;

/// Whether a host's `generate` may start at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentNeed {
    /// Listed by the deployer or allowed always by the person.
    Granted,
    /// Ask the person first.
    Ask,
}

/// The person's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentChoice {
    AllowOnce,
    AlwaysAllow,
    Deny,
}

impl ConsentChoice {
    pub fn allows(self) -> bool {
        self != ConsentChoice::Deny
    }
}

/// Decides for a `generate` from `origin` (the browser's
/// `MessageEvent.origin`). `"*"` in the deployer's list does not count: a
/// wildcard would let any site spend without asking.
pub fn need(origin: &str, autorun: &[String], always: &[String]) -> ConsentNeed {
    let Some(origin) = normalise_origin(origin) else {
        return ConsentNeed::Ask;
    };
    let listed = |list: &[String]| {
        list.iter()
            .filter_map(|o| normalise_origin(o))
            .any(|o| o == origin)
    };
    if listed(autorun) || listed(always) {
        ConsentNeed::Granted
    } else {
        ConsentNeed::Ask
    }
}

/// How the question names the site: its host (and port when not the
/// default), as a person reads it in the address bar.
pub fn site_name(origin: &str) -> String {
    let origin = normalise_origin(origin).unwrap_or_else(|| origin.to_owned());
    origin
        .split_once("://")
        .map_or(origin.as_str(), |(_, host)| host)
        .to_owned()
}

/// "example.com wants to start a job costing $0.50" (with "at least" when a
/// reference video's length is unknown yet).
pub fn question(origin: &str, cost_cents: u64, cost_complete: bool) -> String {
    let floor = if cost_complete { "" } else { "at least " };
    format!(
        "{} wants to start a job costing {floor}{}",
        site_name(origin),
        dollars(cost_cents)
    )
}

/// The remembered list after "Always allow this site" for `origin`.
pub fn remember(always: &[String], origin: &str) -> Vec<String> {
    let Some(origin) = normalise_origin(origin) else {
        return always.to_vec();
    };
    let mut list: Vec<String> = always.iter().filter(|o| **o != origin).cloned().collect();
    list.push(origin);
    let excess = list.len().saturating_sub(MAX_REMEMBERED);
    list.drain(..excess);
    list
}

/// Reads the stored list: only origins, at most [`MAX_REMEMBERED`];
/// anything unreadable is an empty list (the person is asked again).
pub fn read_remembered(text: &str) -> Vec<String> {
    let list: Vec<String> = serde_json::from_str(text).unwrap_or_default();
    let mut origins: Vec<String> = list.iter().filter_map(|o| normalise_origin(o)).collect();
    origins.dedup();
    let excess = origins.len().saturating_sub(MAX_REMEMBERED);
    origins.drain(..excess);
    origins
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_host_is_asked_unless_listed_or_always_allowed() {
        let autorun = list(&["https://shop.example"]);
        assert_eq!(
            need("https://shop.example", &autorun, &[]),
            ConsentNeed::Granted
        );
        assert_eq!(
            need("https://SHOP.example:443", &autorun, &[]),
            ConsentNeed::Granted
        );
        assert_eq!(
            need("https://other.example", &autorun, &[]),
            ConsentNeed::Ask
        );
        assert_eq!(need("http://shop.example", &autorun, &[]), ConsentNeed::Ask);
        let always = list(&["https://blog.example"]);
        assert_eq!(
            need("https://blog.example", &[], &always),
            ConsentNeed::Granted
        );
        // A wildcard or an opaque origin never skips the question.
        assert_eq!(
            need("https://any.example", &list(&["*"]), &[]),
            ConsentNeed::Ask
        );
        assert_eq!(
            need("null", &list(&["*"]), &list(&["null"])),
            ConsentNeed::Ask
        );
    }

    #[test]
    fn the_question_names_the_site_and_the_cost() {
        assert_eq!(
            question("https://example.com", 50, true),
            "example.com wants to start a job costing $0.50"
        );
        assert_eq!(
            question("http://127.0.0.1:9000", 130, false),
            "127.0.0.1:9000 wants to start a job costing at least $1.30"
        );
    }

    #[test]
    fn always_allow_is_remembered_once_per_origin_and_bounded() {
        let once = remember(&[], "https://a.example/");
        assert_eq!(once, list(&["https://a.example"]));
        assert_eq!(remember(&once, "https://A.example"), once);
        let mut many = Vec::new();
        for i in 0..(MAX_REMEMBERED + 5) {
            many = remember(&many, &format!("https://h{i}.example"));
        }
        assert_eq!(many.len(), MAX_REMEMBERED);
        assert_eq!(
            many.last().unwrap(),
            &format!("https://h{}.example", MAX_REMEMBERED + 4)
        );
        assert_eq!(remember(&[], "javascript:alert(1)"), Vec::<String>::new());
    }

    #[test]
    fn the_stored_list_is_read_strictly() {
        assert_eq!(
            read_remembered(r#"["https://a.example", "not an origin", "https://b.example/x"]"#),
            list(&["https://a.example"])
        );
        assert_eq!(read_remembered("{oops"), Vec::<String>::new());
    }
}
