#!/usr/bin/env bash
# Clean-build cost of the mfkessai SDK ($SDK) vs a bare reqwest/serde/tokio baseline.
# Usage: bash /tmp/buildbench/run.sh [ROUNDS]   (default 3). Writes results/ and prints a table.
# Never touches $SDK: the bench crates depend on it by path and build into their own target dirs.
set -u
B=${BUILDBENCH_DIR:-/tmp/buildbench}
SDK=${SDK_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
ROUNDS=${1:-3}
CONFIGS=(with_sdk baseline with_sdk_codegen with_sdk_native_tls)   # interleaved A,B,C,D per round
MAX_TRIES=6            # a failed build (e.g. $SDK mid-edit) is retried after 60 s; failures don't count
cd "$B"
mkdir -p results logs

# ---------- 1. scaffold (idempotent) ----------
cat > Cargo.toml <<'EOF'
[workspace]
members = ["with_sdk", "baseline", "with_sdk_codegen", "with_sdk_native_tls"]
resolver = "2"
EOF
mk() { # name, deps, main.rs
  mkdir -p "$1/src"
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n%s\n' "$1" "$2" > "$1/Cargo.toml"
  printf '%s\n' "$3" > "$1/src/main.rs"
}
SDKMAIN='fn main() {
    let client = mfkessai::Client::builder().api_key("k").build().expect("client builds");
    println!("{client:?}");
}'
mk with_sdk            "mfkessai = { path = \"$SDK\" }" "$SDKMAIN"
mk with_sdk_codegen    "mfkessai = { path = \"$SDK\", features = [\"codegen\"] }" "$SDKMAIN"
mk with_sdk_native_tls "mfkessai = { path = \"$SDK\", default-features = false, features = [\"native-tls\"] }" "$SDKMAIN"
mk baseline 'reqwest = { version = "0.13", default-features = false, features = ["json", "query", "http2", "rustls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
tokio = { version = "1", features = ["rt", "macros", "time"] }' '#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Customer {
    id: String,
    name: String,
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let http = reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client builds");
    let c: Customer = serde_json::from_str(r#"{"id":"7679-YW36","name":"k"}"#).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    println!("{http:?} {c:?} {}", serde_json::to_string(&c).unwrap());
}'
# Same dependency versions as the SDK's own lockfile (cargo prunes/extends it as needed).
[ -f Cargo.lock ] || cp $SDK/Cargo.lock Cargo.lock

# ---------- 2. one shared fetch; everything after is offline ----------
cargo fetch
export CARGO_NET_OFFLINE=true

# ---------- 3. static facts ----------
{
  echo "## toolchain"; cargo --version; rustc --version
  echo "## cmake: $(command -v cmake || echo absent)  clang: $(command -v clang || echo absent)  cc: $(command -v cc || echo absent)"
  echo "## crates in graph (cargo tree -e normal,build --prefix none | sort -u | wc -l; includes the bench crate itself)"
  for p in "${CONFIGS[@]}"; do
    echo "$p $(cargo tree -p "$p" -e normal,build --prefix none | sed 's/ (\*)$//; s/ (proc-macro)$//' | sort -u | wc -l)"
  done
  echo "## codegen-only crates in with_sdk's normal+build graph (must be empty):"
  cargo tree -p with_sdk -e normal,build --prefix none | awk '{print $1}' | sort -u \
    | grep -xE 'progenitor|progenitor-impl|typify|typify-impl|openapiv3|prettyplease' || echo "(none)"
  echo "## same check for with_sdk_codegen (expected present):"
  cargo tree -p with_sdk_codegen -e normal,build --prefix none | awk '{print $1}' | sort -u \
    | grep -xE 'progenitor|progenitor-impl|typify|typify-impl|openapiv3|prettyplease' | tr '\n' ' '; echo
  echo "## cargo tree -i aws-lc-sys -p with_sdk"; cargo tree -i aws-lc-sys -p with_sdk
  echo "## cargo tree -i aws-lc-sys -p with_sdk_native_tls"; cargo tree -i aws-lc-sys -p with_sdk_native_tls 2>&1 | head -3
  echo "## cargo tree -i openssl-sys -p with_sdk_native_tls"; cargo tree -i openssl-sys -p with_sdk_native_tls
  echo "## generated code"
  echo "wc -l raw.rs:   $(wc -l < $SDK/generated/raw.rs)"
  echo "grep -c . raw.rs: $(grep -c . $SDK/generated/raw.rs)"
} > results/facts.txt 2>&1

# fingerprint of the SDK source at build time (others edit $SDK concurrently)
sdk_fp() { (cd $SDK && find Cargo.toml build.rs swagger.yaml src generated codegen/src codegen/Cargo.toml -type f 2>/dev/null | sort | xargs cat | sha256sum | cut -c1-12); }

# ---------- 4. measured clean builds, interleaved ----------
CSV=results/times.csv
[ -f "$CSV" ] || echo "round,config,wall_s,user_s,sys_s,maxrss_kb,compiling_lines,load1_before,sdk_fp" > "$CSV"
for r in $(seq 1 "$ROUNDS"); do
  for c in "${CONFIGS[@]}"; do
    T="$B/target-$c"
    for try in $(seq 1 $MAX_TRIES); do
      rm -rf "$T"
      log="logs/r${r}-${c}-try${try}.log"; tv="logs/r${r}-${c}-try${try}.time"
      load=$(cut -d' ' -f1 /proc/loadavg); fp=$(sdk_fp)
      t0=$(date +%s.%N)
      CARGO_TARGET_DIR="$T" nice -n 10 /usr/bin/time -v -o "$tv" cargo build -p "$c" --color never > "$log" 2>&1
      rc=$?
      t1=$(date +%s.%N)
      if [ $rc -eq 0 ]; then
        wall=$(echo "$t1 - $t0" | bc)
        user=$(awk -F': ' '/User time/{print $2}' "$tv"); sys=$(awk -F': ' '/System time/{print $2}' "$tv")
        rss=$(awk -F': ' '/Maximum resident/{print $2}' "$tv")
        ncomp=$(grep -c '^ *Compiling ' "$log")
        echo "$r,$c,$wall,$user,$sys,$rss,$ncomp,$load,$fp" >> "$CSV"
        echo "round $r $c: ${wall}s (try $try, $ncomp Compiling lines, load $load, sdk $fp)"
        "$T/debug/$c" > "logs/r${r}-${c}.run" 2>&1 || echo "  WARNING: binary $c failed to run"
        break
      fi
      echo "round $r $c: build FAILED (try $try, rc $rc) -> not counted; see $log; waiting 60 s"
      grep -m5 -E '^error' "$log" | sed 's/^/    /'
      sleep 60
    done
  done
done

# ---------- 5. aws-lc-sys: did its build script use cmake / bindgen(clang)? ----------
{
  echo "## aws-lc-sys build-script output (target-with_sdk)"
  out=$(ls -d "$B"/target-with_sdk/debug/build/aws-lc-sys-*/output 2>/dev/null | head -1)
  if [ -n "$out" ]; then
    grep -iE 'cmake|bindgen|clang|builder|prebuilt|cc_builder' "$out" | sort -u | head -20
  else echo "no aws-lc-sys build output found"; fi
} >> results/facts.txt 2>&1

# ---------- 6. summary ----------
echo; cat results/facts.txt; echo
python3 - "$CSV" <<'EOF'
import csv, sys, statistics as st
rows = list(csv.DictReader(open(sys.argv[1])))
order = ["with_sdk", "baseline", "with_sdk_codegen", "with_sdk_native_tls"]
print(f"{'config':22} {'median_s':>9}  {'runs_s':28} {'med_user+sys_s':>14} {'Compiling':>9}")
med = {}
for c in order:
    rs = [r for r in rows if r["config"] == c]
    if not rs: continue
    w = [float(r["wall_s"]) for r in rs]; cpu = [float(r["user_s"]) + float(r["sys_s"]) for r in rs]
    med[c] = st.median(w)
    print(f"{c:22} {st.median(w):9.1f}  {', '.join(f'{x:.1f}' for x in w):28} {st.median(cpu):14.1f} {rs[0]['compiling_lines']:>9}")
if "with_sdk" in med and "with_sdk_native_tls" in med:
    d = med["with_sdk"] - med["with_sdk_native_tls"]
    print(f"rustls(aws-lc-rs) - native-tls, median wall: {d:+.1f} s")
if "with_sdk" in med and "baseline" in med:
    print(f"with_sdk - baseline, median wall: {med['with_sdk'] - med['baseline']:+.1f} s")
if "with_sdk_codegen" in med and "with_sdk" in med:
    print(f"codegen feature - default, median wall: {med['with_sdk_codegen'] - med['with_sdk']:+.1f} s")
EOF
