//! [`Client`], its [`ClientBuilder`], and the [`Environment`] it talks to.

use std::{fmt, net::IpAddr, sync::Arc, time::Duration};

use crate::{raw, retry::RetryPolicy, wire::RequestDefaults, ApiKey, Error};

/// Which Money Forward Kessai the client talks to.
///
/// ```
/// use mfkessai::Environment;
/// assert_eq!(Environment::Sandbox.base_url(), "https://sandbox-api.mfkessai.co.jp/v2");
/// let local = Environment::custom("http://127.0.0.1:8080/v2").unwrap();
/// assert!(!local.is_production());
/// assert!(Environment::custom("http://example.com/v2").is_err(), "plain http only on loopback");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api.mfkessai.co.jp/v2`: real money.
    Production,
    /// `https://sandbox-api.mfkessai.co.jp/v2`: the vendor's test environment.
    Sandbox,
    /// Any other base URL (a proxy, a fake server). Build it with
    /// [`Environment::custom`], which checks it.
    Custom(String),
}

impl Environment {
    /// The production base URL.
    pub const PRODUCTION_URL: &'static str = "https://api.mfkessai.co.jp/v2";
    /// The sandbox base URL.
    pub const SANDBOX_URL: &'static str = "https://sandbox-api.mfkessai.co.jp/v2";

    /// A custom base URL. It must be `https`, except on loopback addresses
    /// (`127.0.0.1`, `::1`, `localhost`), where tests and the fake server run.
    pub fn custom(url: impl AsRef<str>) -> Result<Self, Error> {
        let text = url.as_ref().trim();
        let parsed = reqwest::Url::parse(text)
            .map_err(|e| Error::config(format!("base URL `{text}` is not a URL: {e}")))?;
        let loopback = match parsed.host() {
            Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
            None => false,
        };
        match parsed.scheme() {
            "https" => {}
            "http" if loopback => {}
            scheme => {
                return Err(Error::config(format!(
                    "base URL `{text}` uses {scheme}; only https is allowed (plain http only on loopback)"
                )))
            }
        }
        if parsed.query().is_some() || parsed.fragment().is_some() || !parsed.username().is_empty()
        {
            return Err(Error::config(format!(
                "base URL `{text}` must not carry credentials, a query or a fragment"
            )));
        }
        Ok(Environment::Custom(text.trim_end_matches('/').to_string()))
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Production => Self::PRODUCTION_URL,
            Environment::Sandbox => Self::SANDBOX_URL,
            Environment::Custom(url) => url,
        }
    }

    /// Whether requests move real money.
    pub fn is_production(&self) -> bool {
        match self {
            Environment::Production => true,
            Environment::Sandbox => false,
            Environment::Custom(url) => url.trim_end_matches('/') == Self::PRODUCTION_URL,
        }
    }

    /// Reads `sandbox`, `production`, or a URL (as [`Environment::custom`]).
    pub fn parse(value: &str) -> Result<Self, Error> {
        match value.trim().to_ascii_lowercase().as_str() {
            "sandbox" | "" => Ok(Environment::Sandbox),
            "production" | "prod" => Ok(Environment::Production),
            _ => Environment::custom(value),
        }
    }
}

/// Configures a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use mfkessai::{Client, Environment, RetryPolicy};
///
/// let client = Client::builder()
///     .api_key("your-api-key")
///     .environment(Environment::Sandbox)
///     .connect_timeout(Duration::from_secs(5))
///     .timeout(Duration::from_secs(20))
///     .app_name("my-billing/2.1")
///     .retry(RetryPolicy::default().max_attempts(4))
///     .build()
///     .unwrap();
/// assert_eq!(client.environment(), &Environment::Sandbox);
/// ```
#[derive(Debug, Default)]
pub struct ClientBuilder {
    api_key: Option<ApiKey>,
    environment: Option<Environment>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    app_name: Option<String>,
    http: Option<reqwest::Client>,
    retry: Option<RetryPolicy>,
}

impl ClientBuilder {
    /// The API key (required).
    pub fn api_key(mut self, key: impl Into<ApiKey>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Where to send requests (default: [`Environment::Sandbox`], so a
    /// forgotten setting never touches real money).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// How long to wait for a connection (default 10 s). Ignored with
    /// [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long one attempt may take, response body included (default 30 s).
    /// Ignored with [`ClientBuilder::http_client`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Appended to the user agent: `mfkessai-rust/<version> <app_name>`.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// Use a preconfigured `reqwest::Client` (proxies, TLS roots, pools).
    /// The `apikey` and user-agent headers are still added to every request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The retry policy for every call (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let api_key = self.api_key.filter(|k| !k.is_blank()).ok_or_else(|| {
            Error::config("an API key is required (ClientBuilder::api_key or MFKESSAI_API_KEY)")
        })?;
        let environment = self.environment.unwrap_or(Environment::Sandbox);
        if let Environment::Custom(url) = &environment {
            // `Custom` can be built directly; check it like `Environment::custom`.
            Environment::custom(url)?;
        }
        let user_agent = match self
            .app_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(app) => format!("{} {app}", Client::USER_AGENT),
            None => Client::USER_AGENT.to_string(),
        };
        let defaults = RequestDefaults::new(&api_key, &user_agent)?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
                .timeout(self.timeout.unwrap_or(Duration::from_secs(30)))
                .build()
                .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?,
        };
        let raw = raw::Client::new_with_client(environment.base_url(), http, defaults);
        Ok(Client {
            shared: Arc::new(Shared { raw, environment }),
            retry: self.retry.unwrap_or_default(),
        })
    }
}

struct Shared {
    raw: raw::Client,
    environment: Environment,
}

/// The Money Forward Kessai client: cheap to clone, `Send + Sync`.
///
/// One handle per object of the API: [`Client::customers`],
/// [`Client::destinations`], [`Client::customer_examinations`],
/// [`Client::credit_facilities`], [`Client::transactions`],
/// [`Client::billings`], [`Client::payouts`], [`Client::payout_transactions`],
/// [`Client::payout_refunds`], [`Client::customer_name_updates`],
/// [`Client::authorizations`].
///
/// ```no_run
/// # async fn run() -> mfkessai::Result<()> {
/// let client = mfkessai::Client::from_env()?;
/// let customer = client.customers().get("7679-YW36").await?;
/// println!("{:?}", customer.name);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("environment", &self.shared.environment)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// `mfkessai-rust/<crate version>`, the start of every user agent.
    pub const USER_AGENT: &'static str = concat!("mfkessai-rust/", env!("CARGO_PKG_VERSION"));

    /// A builder; see [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment: `MFKESSAI_API_KEY`
    /// (required) and `MFKESSAI_ENV` (`sandbox`, the default, `production`,
    /// or a base URL).
    ///
    /// ```no_run
    /// let client = mfkessai::Client::from_env().expect("MFKESSAI_API_KEY is set");
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        let key = std::env::var("MFKESSAI_API_KEY").map_err(|_| {
            Error::config("MFKESSAI_API_KEY is not set; export your Kessai API key")
        })?;
        let environment = Environment::parse(&std::env::var("MFKESSAI_ENV").unwrap_or_default())?;
        Client::builder()
            .api_key(key)
            .environment(environment)
            .build()
    }

    /// Where requests go.
    pub fn environment(&self) -> &Environment {
        &self.shared.environment
    }

    /// The generated low-level client, sharing this client's connection
    /// pool, key and user agent (no retries or validation).
    pub fn raw(&self) -> &raw::Client {
        &self.shared.raw
    }

    /// The same client with another retry policy, e.g. for one call:
    /// `client.with_retry(RetryPolicy::disabled()).transactions().create(p)`.
    ///
    /// ```
    /// # let client = mfkessai::Client::builder().api_key("k").build().unwrap();
    /// let once = client.with_retry(mfkessai::RetryPolicy::disabled());
    /// assert_eq!(once.retry_policy().attempts(), 1);
    /// ```
    pub fn with_retry(&self, policy: RetryPolicy) -> Client {
        Client {
            shared: Arc::clone(&self.shared),
            retry: policy,
        }
    }

    /// The retry policy of this client.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Client>();
    }

    #[test]
    fn the_key_never_shows() {
        let client = Client::builder()
            .api_key("sk_very_secret_123")
            .build()
            .unwrap();
        assert!(!format!("{client:?}").contains("sk_very_secret"));
        assert!(!format!("{:?}", client.raw()).contains("sk_very_secret"));
        let err = Client::builder()
            .api_key("bad\nkey sk_very_secret")
            .build()
            .unwrap_err();
        assert!(!err.to_string().contains("sk_very_secret"), "{err}");
        assert!(!format!("{err:?}").contains("sk_very_secret"));
    }

    #[test]
    fn configuration_errors_are_clear() {
        let err = Client::builder().build().unwrap_err();
        assert!(err.to_string().contains("API key is required"), "{err}");
        let err = Client::builder().api_key("  ").build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
        let err = Environment::custom("http://10.0.0.1/v2").unwrap_err();
        assert!(err.to_string().contains("only https"), "{err}");
        let err = Client::builder()
            .api_key("k")
            .environment(Environment::Custom("ftp://x".into()))
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
        assert!(Environment::custom("https://user:pw@proxy.example/v2").is_err());
        assert_eq!(
            Environment::custom("http://[::1]:9/v2/")
                .unwrap()
                .base_url(),
            "http://[::1]:9/v2"
        );
        assert_eq!(
            Environment::custom("http://localhost:9")
                .unwrap()
                .base_url(),
            "http://localhost:9"
        );
    }

    #[test]
    fn environments_parse() {
        assert_eq!(
            Environment::parse("production").unwrap(),
            Environment::Production
        );
        assert_eq!(Environment::parse("").unwrap(), Environment::Sandbox);
        assert!(Environment::parse("https://api.mfkessai.co.jp/v2/")
            .unwrap()
            .is_production());
    }
}
