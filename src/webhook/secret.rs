//! [`Secret`] and [`SecretSet`]: the keys deliveries are verified with.

use std::fmt;

/// A webhook secret, as entered on the admin screen (開発者向け > WebHook).
///
/// It is never printed: `Debug` shows `Secret(****)` and there is no
/// `Display`. It has no `PartialEq` either, because comparing secrets with
/// `==` would not take constant time.
///
/// ```
/// use mfkessai::webhook::Secret;
///
/// let secret = Secret::new("your secret");
/// assert_eq!(format!("{secret:?}"), "Secret(****)");
/// ```
#[derive(Clone)]
pub struct Secret(Box<[u8]>);

impl Secret {
    /// Wraps a secret. Any bytes are accepted; the admin screen asks for at
    /// least 10 characters, but that is Kessai's rule to enforce. An empty
    /// secret is kept but never used to verify (see
    /// [`WebhookError::NoSecret`](super::WebhookError::NoSecret)).
    ///
    /// ```
    /// use mfkessai::webhook::Secret;
    ///
    /// let from_env = std::env::var("MFKESSAI_WEBHOOK_SECRET").unwrap_or_default();
    /// let secret = Secret::new(from_env);
    /// # let _ = secret;
    /// ```
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Secret(secret.into().into_boxed_slice())
    }

    /// Whether the secret is empty (such a secret never verifies anything).
    ///
    /// ```
    /// use mfkessai::webhook::Secret;
    /// assert!(Secret::new("").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(****)")
    }
}

impl From<&str> for Secret {
    fn from(secret: &str) -> Self {
        Secret::new(secret)
    }
}

impl From<String> for Secret {
    fn from(secret: String) -> Self {
        Secret::new(secret)
    }
}

impl From<&[u8]> for Secret {
    fn from(secret: &[u8]) -> Self {
        Secret::new(secret)
    }
}

impl From<Vec<u8>> for Secret {
    fn from(secret: Vec<u8>) -> Self {
        Secret::new(secret)
    }
}

impl From<&Secret> for Secret {
    fn from(secret: &Secret) -> Self {
        secret.clone()
    }
}

/// One secret or several: what [`verify`](super::verify) accepts.
///
/// Several secrets let you rotate without losing deliveries: add the new
/// secret next to the old one, change it on the admin screen, and remove the
/// old one once [`VerifiedPayload::secret_index`](super::VerifiedPayload::secret_index)
/// shows it is no longer used.
///
/// Implemented for a single [`Secret`], arrays, slices and `Vec`s of them;
/// implement it for your own configuration type if that is more convenient.
///
/// ```
/// use mfkessai::webhook::{self, Secret};
///
/// let body = br#"{"event_id":"E1","type":"some.event"}"#;
/// let signature = webhook::sign_for_test("new secret", body);
///
/// let rotating = [Secret::new("old secret"), Secret::new("new secret")];
/// let payload = webhook::verify(&rotating, body, Some(&signature)).unwrap();
/// assert_eq!(payload.secret_index(), 1);
/// ```
pub trait SecretSet {
    /// The secrets, in the order they are tried.
    fn as_secrets(&self) -> &[Secret];
}

impl SecretSet for Secret {
    fn as_secrets(&self) -> &[Secret] {
        std::slice::from_ref(self)
    }
}

impl SecretSet for [Secret] {
    fn as_secrets(&self) -> &[Secret] {
        self
    }
}

impl<const N: usize> SecretSet for [Secret; N] {
    fn as_secrets(&self) -> &[Secret] {
        self
    }
}

impl SecretSet for Vec<Secret> {
    fn as_secrets(&self) -> &[Secret] {
        self
    }
}
