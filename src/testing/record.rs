//! `MFKESSAI_FAKE_ANSWERS=DIR`: every answer any fake of this process gives
//! is appended to `DIR/answers-<pid>.jsonl`, one JSON object a line
//! (`method`, `path`, `status`, `body`), for the repository's conformance
//! check (`make unit` records the whole test suite's answers, then `make
//! conformance` validates every one against the spec). Unset, this costs one
//! lookup per process. Answers hit by an injected fault are not recorded: they are
//! wrong on purpose.

use std::{
    fs::File,
    io::Write,
    sync::{Mutex, OnceLock},
};

fn file() -> Option<&'static Mutex<File>> {
    static FILE: OnceLock<Option<Mutex<File>>> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = std::env::var_os("MFKESSAI_FAKE_ANSWERS")?;
        std::fs::create_dir_all(&dir).ok()?;
        let path = std::path::Path::new(&dir).join(format!("answers-{}.jsonl", std::process::id()));
        File::options()
            .create(true)
            .append(true)
            .open(path)
            .ok()
            .map(Mutex::new)
    })
    .as_ref()
}

/// Records one answer, if recording is on.
pub(crate) fn answer(method: &str, path: &str, status: u16, body: &[u8]) {
    let Some(file) = file() else {
        return;
    };
    let line = serde_json::json!({
        "method": method,
        "path": path,
        "status": status,
        "body": String::from_utf8_lossy(body),
    });
    let mut file = file.lock().unwrap_or_else(|p| p.into_inner());
    let _ = writeln!(file, "{line}");
}
