//! Keeps the committed bindings honest.
//!
//! Without the `codegen` feature nothing is generated: `src/raw.rs` includes
//! `generated/raw.rs`, and this script only checks that `swagger.yaml` and
//! `swagger.overlay.yaml` are the files those bindings were made from (their
//! hashes are in `generated/swagger.sha256`). With `--features codegen` it
//! runs the whole pipeline (`mfkessai-codegen`) and the crate uses fresh
//! bindings.

use std::fs;

const SPEC: &str = "swagger.yaml";
const OVERLAY: &str = "swagger.overlay.yaml";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed={OVERLAY}");
    println!("cargo:rerun-if-changed=generated/swagger.sha256");
    println!("cargo:rerun-if-changed=generated/raw.rs");

    let read =
        |path: &str| fs::read(path).unwrap_or_else(|e| fail(&format!("cannot read {path}: {e}")));
    let spec = read(SPEC);
    let overlay = read(OVERLAY);

    #[cfg(feature = "codegen")]
    {
        let text = |bytes: Vec<u8>, path: &str| {
            String::from_utf8(bytes).unwrap_or_else(|_| fail(&format!("{path} is not UTF-8")))
        };
        let generated = mfkessai_codegen::generate(&text(spec, SPEC), &text(overlay, OVERLAY))
            .unwrap_or_else(|e| fail(&format!("{SPEC}: {e}")));
        let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
            .join("raw.rs");
        fs::write(&out, generated.rust)
            .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", out.display())));
    }

    #[cfg(not(feature = "codegen"))]
    {
        let recorded = fs::read_to_string("generated/swagger.sha256").unwrap_or_default();
        for (path, bytes) in [(SPEC, &spec), (OVERLAY, &overlay)] {
            let actual = sha256_hex(bytes);
            let made_from =
                recorded
                    .lines()
                    .find_map(|l| match l.split_whitespace().collect::<Vec<_>>()[..] {
                        [hash, file] if file == path => Some(hash.to_string()),
                        _ => None,
                    });
            if made_from.as_deref() != Some(actual.as_str()) {
                fail(&format!(
                    "generated/ is stale: {path} has sha256 {actual}, but generated/ was made \
                     from {}. Regenerate with `make generate` (or build with `--features codegen`).",
                    made_from.unwrap_or_else(|| format!(
                        "no recorded {path} (generated/swagger.sha256 has no line for it)"
                    ))
                ));
            }
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
