//! mfkessai
