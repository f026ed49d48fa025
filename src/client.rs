//! [`Client`], its [`ClientBuilder`], and the [`Environment`] it talks to.

use std::{fmt, net::IpAddr, sync::Arc, time::Duration};

use crate::{
    raw,
    retry::{RetryPolicy, RetryQuota},
    wire::RequestDefaults,
    ApiKey, Error,
};

/// Which Money Forward Kessai the client talks to.
///
/// ```
/// use mfkessai::Environment;
/// assert_eq!(Environment::Sandbox.base_url(), "https://sandbox-api.mfkessai.co.jp/v2");
/// let local = Environment::custom("http://127.0.0.1:8080/v2/").unwrap();
/// assert_eq!(local.base_url(), "http://127.0.0.1:8080/v2");
/// assert!(!local.is_production());
/// assert!(Environment::custom("http://example.com/v2").is_err(), "plain http only on loopback");
/// // Production is recognised by its host, however it is spelt.
/// assert!(Environment::custom("https://API.MFKESSAI.CO.JP.:443/v2").unwrap().is_production());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Environment {
    /// `https://api.mfkessai.co.jp/v2`: real money.
    Production,
    /// `https://sandbox-api.mfkessai.co.jp/v2`: the vendor's test environment.
    Sandbox,
    /// Any other base URL (a proxy, a fake server), checked and normalised by
    /// [`Environment::custom`] (or [`BaseUrl::parse`]), the only ways to
    /// build one.
    Custom(BaseUrl),
}

/// A checked, normalised base URL: `https` (plain `http` only on loopback),
/// no credentials, query or fragment, no trailing slash.
///
/// Only [`BaseUrl::parse`] builds one, so every [`Environment::Custom`] has
/// been checked, wherever it came from.
///
/// ```
/// use mfkessai::client::BaseUrl;
/// let url = BaseUrl::parse(" https://Proxy.Example/kessai/v2/ ").unwrap();
/// assert_eq!(url.as_str(), "https://proxy.example/kessai/v2");
/// let err = BaseUrl::parse("https://user:hunter2@proxy.example/v2").unwrap_err();
/// assert!(!err.to_string().contains("hunter2"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl {
    text: String,
    production: bool,
}

/// The hosts whose requests move real money.
const PRODUCTION_HOST: &str = "api.mfkessai.co.jp";
const SANDBOX_HOST: &str = "sandbox-api.mfkessai.co.jp";

impl BaseUrl {
    /// Checks and normalises a base URL. Errors never repeat the URL's
    /// credentials or query string.
    pub fn parse(url: &str) -> Result<Self, Error> {
        let text = url.trim();
        // The parse error of the `url` crate names the problem, not the input.
        let parsed = reqwest::Url::parse(text)
            .map_err(|e| Error::config(format!("the base URL is not a URL: {e}")))?;
        let shown = redacted(&parsed);
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(Error::config(format!(
                "base URL `{shown}` must not carry credentials (they were removed from this message); \
                 the API key goes in ClientBuilder::api_key"
            )));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::config(format!(
                "base URL `{shown}` must not carry a query or a fragment (removed from this message)"
            )));
        }
        let host = normalised_host(&parsed);
        let loopback = match parsed.host() {
            Some(url::Host::Domain(_)) => host == "localhost",
            Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
            None => false,
        };
        match parsed.scheme() {
            "https" => {}
            "http" if loopback => {}
            scheme => {
                return Err(Error::config(format!(
                    "base URL `{shown}` uses {scheme}; only https is allowed (plain http only on loopback)"
                )))
            }
        }
        Ok(BaseUrl {
            text: shown.trim_end_matches('/').to_string(),
            production: host == PRODUCTION_HOST,
        })
    }

    /// The URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether this URL points at the production host (real money), whatever
    /// its case, port or trailing dot.
    pub fn is_production(&self) -> bool {
        self.production
    }
}

/// The host in lowercase without a trailing dot (`API.mfkessai.co.jp.` is the
/// same machine as `api.mfkessai.co.jp`).
fn normalised_host(url: &reqwest::Url) -> String {
    url.host_str()
        .unwrap_or_default()
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// `scheme://host[:port]/path`: what can be shown of a URL without leaking
/// what may be a secret (userinfo, query, fragment).
fn redacted(url: &reqwest::Url) -> String {
    let mut shown = format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
    if let Some(port) = url.port() {
        shown.push_str(&format!(":{port}"));
    }
    shown.push_str(url.path());
    shown
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({:?})", self.text)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Environment {
    /// The production base URL.
    pub const PRODUCTION_URL: &'static str = "https://api.mfkessai.co.jp/v2";
    /// The sandbox base URL.
    pub const SANDBOX_URL: &'static str = "https://sandbox-api.mfkessai.co.jp/v2";

    /// A custom base URL, checked by [`BaseUrl::parse`]: it must be `https`,
    /// except on loopback addresses (`127.0.0.1`, `::1`, `localhost`), where
    /// tests and the fake server run. The documented production and sandbox
    /// URLs, however spelt, become [`Environment::Production`] and
    /// [`Environment::Sandbox`].
    ///
    /// ```
    /// use mfkessai::Environment;
    /// assert_eq!(Environment::custom("HTTPS://api.mfkessai.co.jp/v2/").unwrap(), Environment::Production);
    /// assert!(Environment::custom("https://k:secret@proxy.example/v2").is_err());
    /// ```
    pub fn custom(url: impl AsRef<str>) -> Result<Self, Error> {
        let url = BaseUrl::parse(url.as_ref())?;
        let parsed = reqwest::Url::parse(url.as_str()).ok();
        let documented = parsed.as_ref().filter(|u| {
            u.scheme() == "https" && u.port().is_none() && u.path().trim_end_matches('/') == "/v2"
        });
        Ok(match documented.map(normalised_host).as_deref() {
            Some(PRODUCTION_HOST) => Environment::Production,
            Some(SANDBOX_HOST) => Environment::Sandbox,
            _ => Environment::Custom(url),
        })
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Production => Self::PRODUCTION_URL,
            Environment::Sandbox => Self::SANDBOX_URL,
            Environment::Custom(url) => url.as_str(),
        }
    }

    /// Whether requests move real money: production, or a custom URL on the
    /// production host.
    pub fn is_production(&self) -> bool {
        match self {
            Environment::Production => true,
            Environment::Sandbox => false,
            Environment::Custom(url) => url.is_production(),
        }
    }

    /// Reads `sandbox`, `production`, or a URL (as [`Environment::custom`]).
    ///
    /// ```
    /// use mfkessai::Environment;
    /// assert_eq!(Environment::parse("Production").unwrap(), Environment::Production);
    /// assert!(Environment::parse("https://api.mfkessai.co.jp:443/v2").unwrap().is_production());
    /// ```
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
///     .max_response_bytes(8 << 20)
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
    max_response_bytes: Option<usize>,
    app_name: Option<String>,
    http: Option<reqwest::ClientBuilder>,
    root_certificates: Vec<reqwest::Certificate>,
    retry: Option<RetryPolicy>,
    quota: Option<RetryQuota>,
}

impl ClientBuilder {
    /// How long one attempt may take by default, response body included.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
    /// How long establishing a connection may take by default.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
    /// The default cap on a response body: 128 MiB. The largest answer the
    /// reference allows, a page of 200 transactions each with 500 details of
    /// 250 three-byte characters, is about 95 MB; real pages are far smaller.
    pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 128 << 20;

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

    /// How long to wait for a connection (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long one attempt may take, response body included (default 15 s).
    /// The retry policy's [time budget](RetryPolicy::budget) bounds the whole
    /// call: an attempt never runs past what is left of it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The largest response body the client reads, in bytes (default
    /// [`ClientBuilder::DEFAULT_MAX_RESPONSE_BYTES`]). The limit is enforced
    /// while the body streams in, so a hostile or broken server cannot make
    /// the client buffer more; a larger answer fails with
    /// [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Appended to the user agent: `mfkessai-rust/<version> <app_name>`.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// Start from your own `reqwest::ClientBuilder` (proxies, DNS, pools).
    ///
    /// The client then sets, over whatever the builder says, the connect
    /// timeout and a redirect policy that follows nothing: the API documents
    /// no redirects, and a followed redirect would carry the `apikey` header
    /// to whatever host the `Location` names.
    ///
    /// ```
    /// let client = mfkessai::Client::builder()
    ///     .api_key("your-api-key")
    ///     .http_client_builder(reqwest::Client::builder().pool_max_idle_per_host(4))
    ///     .build()
    ///     .unwrap();
    /// # let _ = client;
    /// ```
    pub fn http_client_builder(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(builder);
        self
    }

    /// Trust one more root certificate: a corporate TLS proxy's, or a test
    /// server's own CA.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let pem = std::fs::read("corporate-proxy-ca.pem")?;
    /// let client = mfkessai::Client::builder()
    ///     .api_key("your-api-key")
    ///     .add_root_certificate(reqwest::Certificate::from_pem(&pem)?)
    ///     .build()?;
    /// # let _ = client; Ok(()) }
    /// ```
    pub fn add_root_certificate(mut self, certificate: reqwest::Certificate) -> Self {
        self.root_certificates.push(certificate);
        self
    }

    /// The retry policy for every call (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The retry quota every call of this client (and its clones) draws
    /// from (default: [`RetryQuota::default`], 500 tokens). Pass the same
    /// quota to several clients to share it; [`RetryQuota::unlimited`]
    /// turns it off.
    pub fn retry_quota(mut self, quota: RetryQuota) -> Self {
        self.quota = Some(quota);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let api_key = self.api_key.filter(|k| !k.is_blank()).ok_or_else(|| {
            Error::config("an API key is required (ClientBuilder::api_key or MFKESSAI_API_KEY)")
        })?;
        let environment = self.environment.unwrap_or(Environment::Sandbox);
        let user_agent = match self
            .app_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(app) => format!("{} {app}", Client::USER_AGENT),
            None => Client::USER_AGENT.to_string(),
        };
        let max_response_bytes = self
            .max_response_bytes
            .unwrap_or(Self::DEFAULT_MAX_RESPONSE_BYTES);
        let defaults = RequestDefaults::new(&api_key, &user_agent)?
            .with_max_response_bytes(max_response_bytes);
        let timeout = self.timeout.unwrap_or(Self::DEFAULT_TIMEOUT);
        let mut http = self
            .http
            .unwrap_or_default()
            .connect_timeout(
                self.connect_timeout
                    .unwrap_or(Self::DEFAULT_CONNECT_TIMEOUT),
            )
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none());
        for certificate in self.root_certificates {
            http = http.add_root_certificate(certificate);
        }
        let http = http
            .build()
            .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?;
        let raw = raw::Client::new_with_client(environment.base_url(), http, defaults);
        Ok(Client {
            shared: Arc::new(Shared {
                raw,
                environment,
                api_key,
                timeout,
                quota: self.quota.unwrap_or_default(),
            }),
            retry: self.retry.unwrap_or_default(),
        })
    }
}

struct Shared {
    raw: raw::Client,
    environment: Environment,
    /// Kept to redact it from anything a server echoes back.
    api_key: ApiKey,
    timeout: Duration,
    quota: RetryQuota,
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
/// let customer = client.customers().get(&"7679-YW36".into()).await?;
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

    /// The key, for redacting it from what servers echo back.
    pub(crate) fn api_key(&self) -> &ApiKey {
        &self.shared.api_key
    }

    /// The per-attempt timeout.
    pub(crate) fn attempt_timeout(&self) -> Duration {
        self.shared.timeout
    }

    /// The retry quota shared by this client's calls.
    ///
    /// ```
    /// let client = mfkessai::Client::builder().api_key("k").build().unwrap();
    /// assert_eq!(client.retry_quota().available(), mfkessai::retry::RetryQuota::DEFAULT_CAPACITY);
    /// ```
    pub fn retry_quota(&self) -> &RetryQuota {
        &self.shared.quota
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
        let err = Environment::custom("ftp://x").unwrap_err();
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

    #[test]
    fn urls_with_credentials_are_refused_without_echoing_them() {
        for url in [
            "http://:s3cr3t-pw@127.0.0.1:9/v2",
            "https://user:s3cr3t-pw@proxy.example/v2",
            "https://s3cr3t-pw@proxy.example/v2",
            "https://proxy.example/v2?apikey=s3cr3t-pw",
            "https://proxy.example/v2#s3cr3t-pw",
            "https://user:s3cr3t-pw@",
            "ftp://user:s3cr3t-pw@proxy.example/v2",
        ] {
            let err = Environment::custom(url).unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{url}");
            assert!(!err.to_string().contains("s3cr3t"), "{url}: {err}");
            assert!(!format!("{err:?}").contains("s3cr3t"), "{url}: {err:?}");
            let err = Environment::parse(url).unwrap_err();
            assert!(!err.to_string().contains("s3cr3t"), "{url}: {err}");
        }
    }

    #[test]
    fn production_is_recognised_by_its_host() {
        for url in [
            "https://api.mfkessai.co.jp/v2",
            "https://API.MFKESSAI.CO.JP/v2",
            "HTTPS://api.mfkessai.co.jp/v2/",
            "https://api.mfkessai.co.jp:443/v2",
            "https://api.mfkessai.co.jp./v2",
            " https://api.mfkessai.co.jp/v2 ",
        ] {
            assert_eq!(
                Environment::custom(url).unwrap(),
                Environment::Production,
                "{url}"
            );
            assert!(Environment::parse(url).unwrap().is_production(), "{url}");
        }
        // Other paths or ports on the production host still move real money.
        for url in [
            "https://api.mfkessai.co.jp:8443/v2",
            "https://Api.MfKessai.co.jp./v3",
        ] {
            let env = Environment::custom(url).unwrap();
            assert!(matches!(env, Environment::Custom(_)), "{url}");
            assert!(env.is_production(), "{url}");
        }
        assert_eq!(
            Environment::custom("https://SANDBOX-api.mfkessai.co.jp/v2/").unwrap(),
            Environment::Sandbox
        );
        assert!(
            !Environment::custom("https://api.mfkessai.co.jp.evil.example/v2")
                .unwrap()
                .is_production()
        );
    }

    #[test]
    fn custom_urls_are_normalised_once() {
        let env = Environment::custom("  http://127.0.0.1:8080/v2//  ").unwrap();
        assert_eq!(env.base_url(), "http://127.0.0.1:8080/v2");
        let client = Client::builder()
            .api_key("k")
            .environment(env)
            .build()
            .unwrap();
        assert_eq!(
            progenitor_client::ClientInfo::baseurl(client.raw()),
            "http://127.0.0.1:8080/v2"
        );
    }
}
