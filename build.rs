//! Keeps the committed bindings honest.
//!
//! Without the `codegen` feature nothing is generated: `src/raw.rs` includes
//! `generated/raw.rs`, and this script only checks that `swagger.yaml` is the
//! file those bindings were made from. With `--features codegen` it runs the
//! whole pipeline (`mfkessai-codegen`) and the crate uses fresh bindings.

use std::fs;

fn main() {
    println!("cargo:rerun-if-changed=swagger.yaml");
    println!("cargo:rerun-if-changed=generated/swagger.sha256");
    println!("cargo:rerun-if-changed=generated/raw.rs");

    let spec = match fs::read("swagger.yaml") {
        Ok(bytes) => bytes,
        Err(e) => fail(&format!("cannot read swagger.yaml: {e}")),
    };

    #[cfg(feature = "codegen")]
    {
        let text = String::from_utf8(spec).unwrap_or_else(|_| fail("swagger.yaml is not UTF-8"));
        let generated = mfkessai_codegen::generate(&text)
            .unwrap_or_else(|e| fail(&format!("swagger.yaml: {e}")));
        let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
            .join("raw.rs");
        fs::write(&out, generated.rust)
            .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
    }

    #[cfg(not(feature = "codegen"))]
    {
        let recorded = fs::read_to_string("generated/swagger.sha256").unwrap_or_default();
        let actual = sha256_hex(&spec);
        if recorded.trim() != actual {
            fail(&format!(
                "generated/ is stale: swagger.yaml has sha256 {actual}, but generated/ was made \
                 from {}. Regenerate with `make generate` (or build with `--features codegen`).",
                if recorded.trim().is_empty() {
                    "nothing (generated/swagger.sha256 is missing)"
                } else {
                    recorded.trim()
                }
            ));
        }
    }
}

#[cfg(not(feature = "codegen"))]
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
