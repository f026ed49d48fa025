//! mfkessai
#![deny(missing_docs)]
pub mod api_key;
pub mod error;
pub mod error_code;
pub mod raw;
pub mod wire;
pub use api_key::ApiKey;
pub use error::{Error, Result};
pub use error_code::ErrorCode;
