//! The sandbox's magic strings (審査結果の操作): how a test chooses the
//! outcome of a review.
//!
//! In the sandbox, a transaction whose every detail `description` is
//! `__passed__`, `__rejected__` or `__unexamined__` gets that examination
//! result, and so does a credit examination whose `remark` is one of them
//! (`POST /customer_examinations`, or the automatic examination requested
//! with `POST /customers`). The strings mean nothing in production, where
//! they would end up printed on a real invoice or read by a real examiner,
//! so the client refuses to send them to [`Environment::Production`].
//!
//! ```
//! use mfkessai::sandbox::{Outcome, WithOutcome};
//! use mfkessai::types::CustomerExaminationPayload;
//!
//! # fn payload() -> CustomerExaminationPayload { serde_json::from_value(serde_json::json!({
//! #   "customer_id": "7679-YW36", "amount": 100000, "end_date": "2026-06-30",
//! #   "address1": "東京都千代田区1-2-3", "email": "a@example.com", "tel": "03-1234-5678", "zip_code": "111-1111"
//! # })).unwrap() }
//! let examination = payload().with_outcome(Outcome::Passed);
//! assert_eq!(examination.remark.as_deref(), Some("__passed__"));
//! ```

use crate::{raw::types, Environment, Error, Result};

/// The result a magic string asks the sandbox for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// `__passed__`: 審査通過.
    Passed,
    /// `__rejected__`: 審査否決.
    Rejected,
    /// `__unexamined__`: stays 未審査.
    Unexamined,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 3] = [Outcome::Passed, Outcome::Rejected, Outcome::Unexamined];

    /// The magic string: `__passed__`, `__rejected__` or `__unexamined__`.
    ///
    /// ```
    /// assert_eq!(mfkessai::sandbox::Outcome::Rejected.as_str(), "__rejected__");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "__passed__",
            Outcome::Rejected => "__rejected__",
            Outcome::Unexamined => "__unexamined__",
        }
    }

    /// The outcome a text asks for, if it is exactly a magic string.
    ///
    /// ```
    /// use mfkessai::sandbox::Outcome;
    /// assert_eq!(Outcome::from_magic("__passed__"), Some(Outcome::Passed));
    /// assert_eq!(Outcome::from_magic("passed"), None);
    /// ```
    pub fn from_magic(text: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == text)
    }

    /// The status string the API reports for this outcome (`passed`,
    /// `rejected`, `unexamined`).
    pub const fn status(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Rejected => "rejected",
            Outcome::Unexamined => "unexamined",
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Payloads whose review outcome a magic string decides.
///
/// ```
/// use mfkessai::sandbox::{Outcome, WithOutcome};
/// # fn run(payload: mfkessai::types::TransactionPayload) {
/// let payload = payload.with_outcome(Outcome::Rejected);
/// assert!(payload.transaction_details.iter().all(|d| d.description == "__rejected__"));
/// # }
/// ```
pub trait WithOutcome: Sized {
    /// Writes the outcome's magic string where the sandbox reads it.
    fn set_outcome(&mut self, outcome: Outcome);

    /// [`WithOutcome::set_outcome`], by value.
    fn with_outcome(mut self, outcome: Outcome) -> Self {
        self.set_outcome(outcome);
        self
    }

    /// The magic strings the payload carries, with the field holding each
    /// (`transaction_details[0].description`, …).
    fn magic_strings(&self) -> Vec<(String, Outcome)>;
}

impl WithOutcome for types::TransactionPayload {
    /// Sets the `description` of every detail: the sandbox needs all of them.
    fn set_outcome(&mut self, outcome: Outcome) {
        for detail in &mut self.transaction_details {
            detail.description = outcome.as_str().to_string();
        }
    }

    fn magic_strings(&self) -> Vec<(String, Outcome)> {
        self.transaction_details
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                Outcome::from_magic(&d.description)
                    .map(|o| (format!("transaction_details[{i}].description"), o))
            })
            .collect()
    }
}

impl WithOutcome for types::CustomerExaminationPayload {
    /// Sets `remark`.
    fn set_outcome(&mut self, outcome: Outcome) {
        self.remark = Some(outcome.as_str().to_string());
    }

    fn magic_strings(&self) -> Vec<(String, Outcome)> {
        self.remark
            .as_deref()
            .and_then(Outcome::from_magic)
            .map(|o| vec![("remark".to_string(), o)])
            .unwrap_or_default()
    }
}

impl WithOutcome for types::CustomerPayload {
    /// Sets `customer_examination.remark`, adding an (otherwise empty)
    /// `customer_examination` if there is none. That section asks for the
    /// automatic examination, available to sellers using 与信枠審査.
    fn set_outcome(&mut self, outcome: Outcome) {
        self.customer_examination
            .get_or_insert_with(Default::default)
            .remark = Some(outcome.as_str().to_string());
    }

    fn magic_strings(&self) -> Vec<(String, Outcome)> {
        self.customer_examination
            .as_ref()
            .and_then(|e| e.remark.as_deref())
            .and_then(Outcome::from_magic)
            .map(|o| vec![("customer_examination.remark".to_string(), o)])
            .unwrap_or_default()
    }
}

/// Refuses a payload carrying a magic string when the client talks to
/// production; every other environment lets it through.
///
/// ```
/// use mfkessai::{sandbox::{self, Outcome, WithOutcome}, Environment};
/// # fn run(payload: mfkessai::types::TransactionPayload) {
/// let payload = payload.with_outcome(Outcome::Passed);
/// assert!(sandbox::refuse_in_production(&Environment::Production, &payload).is_err());
/// assert!(sandbox::refuse_in_production(&Environment::Sandbox, &payload).is_ok());
/// # }
/// ```
pub fn refuse_in_production<P: WithOutcome>(environment: &Environment, payload: &P) -> Result<()> {
    if !environment.is_production() {
        return Ok(());
    }
    match payload.magic_strings().into_iter().next() {
        None => Ok(()),
        Some((field, outcome)) => Err(Error::validation(
            None,
            Some(field.clone()),
            format!(
                "{field} is the sandbox magic string {outcome}; refusing to send it to Production, \
                 where it is not a test switch but real data"
            ),
        )),
    }
}
