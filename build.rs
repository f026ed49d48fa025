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

/// SHA-256 (FIPS 180-4), written out here rather than taken from `sha2`:
/// as a build-dependency, `sha2` and `digest` are compiled a second time in
/// every user's clean build (build scripts get their own profile), to hash
/// two files once. The result is what `sha256sum` and the generator (which
/// does use `sha2`) write, so a mistake here fails every default build,
/// CI's among them.
#[cfg(not(feature = "codegen"))]
fn sha256_hex(bytes: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    // The message, a 1 bit, zeros, and its length in bits: a multiple of 64 bytes.
    let mut message = bytes.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((bytes.len() as u64) * 8).to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choose = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(choose)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(majority);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (state, value) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *state = state.wrapping_add(value);
        }
    }
    h.iter().map(|word| format!("{word:08x}")).collect()
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
