//! `mfkessai-codegen SPEC OUT_DIR [OVERLAY]`: applies OVERLAY (by default
//! `swagger.overlay.yaml` beside SPEC) to SPEC, runs the pipeline and writes
//! `OUT_DIR/{openapi.json, raw.rs, swagger.sha256}`.
use std::{path::PathBuf, process::ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (spec, out, overlay) = match args.as_slice() {
        [spec, out] => {
            let dir = std::path::Path::new(spec)
                .parent()
                .unwrap_or(std::path::Path::new(""));
            let overlay = dir.join(mfkessai_codegen::OVERLAY_FILE);
            (spec, out, overlay.to_string_lossy().into_owned())
        }
        [spec, out, overlay] => (spec, out, overlay.clone()),
        _ => {
            eprintln!("usage: mfkessai-codegen <swagger.yaml> <out-dir> [<overlay.yaml>]");
            return ExitCode::from(2);
        }
    };
    let read = |path: &str| {
        std::fs::read_to_string(path).map_err(|e| eprintln!("cannot read {path}: {e}"))
    };
    let (Ok(text), Ok(overlay_text)) = (read(spec), read(&overlay)) else {
        return ExitCode::FAILURE;
    };
    let generated = match mfkessai_codegen::generate(&text, &overlay_text) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{spec} + {overlay}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let out = PathBuf::from(out);
    let write = |name: &str, body: &str| std::fs::write(out.join(name), body);
    let result = std::fs::create_dir_all(&out)
        .and_then(|_| write("openapi.json", &generated.openapi_json))
        .and_then(|_| write("raw.rs", &generated.rust))
        .and_then(|_| write("swagger.sha256", &generated.spec_sha256));
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
