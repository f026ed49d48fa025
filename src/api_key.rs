//! The API key, kept out of every `Debug`, `Display`, log line and error.

use std::fmt;

/// A Money Forward Kessai API key (sent as the `apikey` header).
///
/// The key is never printed: `Debug` and `Display` show `ApiKey(****)`, and
/// the header built from it is marked sensitive so `reqwest` and `http`
/// redact it too.
///
/// ```
/// use mfkessai::ApiKey;
/// let key = ApiKey::new("abcfc38888b4357ba");
/// assert_eq!(format!("{key:?}"), "ApiKey(****)");
/// assert_eq!(key.expose(), "abcfc38888b4357ba");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key as issued on the seller admin screen.
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    /// The key itself, for code that must send it somewhere else. Named so
    /// that every use is easy to find in review.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the key is empty or only whitespace (never valid).
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(****)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        ApiKey(key)
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        ApiKey(key.to_string())
    }
}
