//! `mfkessai-codegen SPEC OUT_DIR`: runs the pipeline and writes
//! `OUT_DIR/{openapi.json, raw.rs, swagger.sha256}`.
use std::{path::PathBuf, process::ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [spec, out] = args.as_slice() else {
        eprintln!("usage: mfkessai-codegen <swagger.yaml> <out-dir>");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {spec}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let generated = match mfkessai_codegen::generate(&text) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{spec}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let out = PathBuf::from(out);
    let write = |name: &str, body: &str| std::fs::write(out.join(name), body);
    let result = std::fs::create_dir_all(&out)
        .and_then(|_| write("openapi.json", &generated.openapi_json))
        .and_then(|_| write("raw.rs", &generated.rust))
        .and_then(|_| write("swagger.sha256", &format!("{}\n", generated.spec_sha256)));
    if let Err(e) = result {
        eprintln!("cannot write to {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    println!(
        "wrote {}/{{openapi.json,raw.rs,swagger.sha256}} ({} lines of Rust)",
        out.display(),
        generated.rust.lines().count()
    );
    ExitCode::SUCCESS
}
