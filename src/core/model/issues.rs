//! Validation results: problems, each tied to what it concerns, and whether
//! it blocks sending.
//!
//! One type for every check. `F` says what a problem is next to: a field of
//! the model's input ([`crate::core::model::validation::Field`], by position
//! in its URL lists) or a control of the form
//! ([`crate::core::form::validation::FormField`], by reference identity, so a
//! message stays on its item when the list is reordered).

/// Whether a problem blocks sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// fal would refuse it: Generate stays disabled.
    Error,
    /// Probably a mistake, but fal may accept it: shown, not blocking.
    Warning,
}

/// One problem, worded for the person filling in the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue<F> {
    pub field: F,
    pub severity: Severity,
    pub message: String,
}

impl<F> Issue<F> {
    pub fn error(field: F, message: impl Into<String>) -> Self {
        Self {
            field,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(field: F, message: impl Into<String>) -> Self {
        Self {
            field,
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    /// The same problem, shown next to `field` instead.
    pub fn on<G>(self, field: G) -> Issue<G> {
        Issue {
            field,
            severity: self.severity,
            message: self.message,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Every problem found, in the order of what they concern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issues<F> {
    pub issues: Vec<Issue<F>>,
}

impl<F> Default for Issues<F> {
    fn default() -> Self {
        Self { issues: Vec::new() }
    }
}

impl<F: PartialEq> Issues<F> {
    /// True when nothing blocks sending (warnings allowed).
    pub fn is_sendable(&self) -> bool {
        self.errors().next().is_none()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue<F>> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Issue<F>> {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
    }

    /// The problem to show next to `field`: its first error, else its
    /// first warning.
    pub fn for_field(&self, field: F) -> Option<&Issue<F>> {
        self.errors()
            .find(|i| i.field == field)
            .or_else(|| self.warnings().find(|i| i.field == field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_come_before_warnings_for_a_field() {
        let v = Issues {
            issues: vec![
                Issue::warning("prompt", "w"),
                Issue::error("seed", "s"),
                Issue::error("prompt", "e"),
            ],
        };
        assert_eq!(v.for_field("prompt").unwrap().message, "e");
        assert_eq!(v.warnings().count(), 1);
        assert_eq!(v.errors().count(), 2);
        assert!(!v.is_sendable());
        assert!(v.for_field("duration").is_none());
    }

    #[test]
    fn warnings_alone_do_not_block() {
        let v = Issues {
            issues: vec![Issue::warning(1, "w")],
        };
        assert!(v.is_sendable());
        assert!(Issues::<u8>::default().is_sendable());
    }

    #[test]
    fn a_problem_moves_to_another_field_whole() {
        let moved = Issue::warning(3_usize, "far").on("references");
        assert_eq!(moved, Issue::warning("references", "far"));
        assert!(!moved.is_error());
    }
}
