#!/usr/bin/env bash
# Clean-build cost of a crate that depends on mfkessai, against a floor crate that
# depends only on reqwest (rustls) + serde + serde_json + tokio.
#
#   bash benches/build_time.sh [ROUNDS]          (default 3)
#
# Each round builds every config once from an empty target dir, in turn (A, B, C, ...),
# so a load spike from other work on the machine hits all configs alike; the ratios
# are taken per round and their median is what to quote. CPU time (user+sys of the
# whole cargo process tree) is less sensitive to a shared machine than wall time.
#
# Environment:
#   CONFIGS="with_sdk baseline with_sdk_testing"  which configs, in this order each round
#                 (also: with_sdk_codegen, with_sdk_native_tls, with_sdk_before)
#   BEFORE_REF=<git ref>   with_sdk_before builds that commit of the SDK (git archive, so the
#                          SDK's own worktree is never touched)
#   SDK_REF=<git ref>      measure that commit instead of the worktree as it is (git archive;
#                          use it when the worktree may change during the run)
#   TIMINGS=1              pass --timings in the last round (or TIMINGS_ROUND=n) and print
#                          each config's slowest units
#   BUILDBENCH_DIR=/tmp/buildbench   where the bench crates, target dirs and results live
#   SDK_DIR=<repo root>    the SDK to measure (default: this script's repository)
#
# Never writes to $SDK_DIR: the bench crates depend on it by path and build into their
# own target dirs. Each bench crate is its own workspace with a copy of the SDK's
# Cargo.lock, so every config resolves the same dependency versions.
set -u
B=${BUILDBENCH_DIR:-/tmp/buildbench}
REPO=${SDK_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
SDK=$REPO
ROUNDS=${1:-3}
read -r -a CONFIGS <<< "${CONFIGS:-with_sdk baseline with_sdk_testing}"
BEFORE_REF=${BEFORE_REF:-}
SDK_REF=${SDK_REF:-}
TIMINGS=${TIMINGS:-0}
MAX_TRIES=6 # a failed build (e.g. the SDK mid-edit) is retried after 60 s; failures don't count
mkdir -p "$B/results" "$B/logs"
cd "$B"

# ---------- 1. the bench crates ----------
snapshot() { rm -rf "$2" && mkdir -p "$2" && git -C "$REPO" archive "$1" | tar -x -C "$2"; }
[ -n "$BEFORE_REF" ] && snapshot "$BEFORE_REF" "$B/sdk-before"
if [ -n "$SDK_REF" ]; then snapshot "$SDK_REF" "$B/sdk-after"; SDK="$B/sdk-after"; fi
SDKMAIN='fn main() {
    let client = mfkessai::Client::builder().api_key("k").build().expect("client builds");
    println!("{client:?}");
}'
mk() { # name, sdk dir whose Cargo.lock to start from, [dependencies] lines, main.rs
  rm -rf "$B/$1" && mkdir -p "$B/$1/src"
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[workspace]\n\n[dependencies]\n%s\n' \
    "$1" "$3" > "$B/$1/Cargo.toml"
  printf '%s\n' "$4" > "$B/$1/src/main.rs"
  cp "$2/Cargo.lock" "$B/$1/Cargo.lock"
}
for c in "${CONFIGS[@]}"; do
  case $c in
    with_sdk)            mk "$c" "$SDK" "mfkessai = { path = \"$SDK\" }" "$SDKMAIN" ;;
    with_sdk_before)     [ -n "$BEFORE_REF" ] || { echo "with_sdk_before needs BEFORE_REF"; exit 2; }
                         mk "$c" "$B/sdk-before" "mfkessai = { path = \"$B/sdk-before\" }" "$SDKMAIN" ;;
    with_sdk_testing)    mk "$c" "$SDK" "mfkessai = { path = \"$SDK\", features = [\"testing\"] }" "$SDKMAIN" ;;
    with_sdk_codegen)    mk "$c" "$SDK" "mfkessai = { path = \"$SDK\", features = [\"codegen\"] }" "$SDKMAIN" ;;
    with_sdk_native_tls) mk "$c" "$SDK" "mfkessai = { path = \"$SDK\", default-features = false, features = [\"native-tls\"] }" "$SDKMAIN" ;;
    baseline) mk "$c" "$SDK" 'reqwest = { version = "0.13", default-features = false, features = ["json", "query", "http2", "rustls"] }
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
}' ;;
    *) echo "unknown config $c"; exit 2 ;;
  esac
done

# ---------- 2. fetch once; everything after is offline ----------
for c in "${CONFIGS[@]}"; do cargo fetch --manifest-path "$B/$c/Cargo.toml" --quiet; done
export CARGO_NET_OFFLINE=true

# ---------- 3. static facts ----------
graph() { cargo tree --manifest-path "$B/$1/Cargo.toml" -e normal,build --prefix none "${@:2}" 2>/dev/null; }
{
  echo "## toolchain"; cargo --version; rustc --version; echo "nproc $(nproc)"
  echo "## crates in each graph (cargo tree -e normal,build --prefix none | sort -u | wc -l; includes the bench crate)"
  for c in "${CONFIGS[@]}"; do
    echo "$c $(graph "$c" | sed 's/ (\*)$//; s/ (proc-macro)$//' | sort -u | wc -l)"
  done
  for c in "${CONFIGS[@]}"; do
    [ "$c" = baseline ] && continue
    echo "## $c: crates not in baseline's graph"
    comm -23 <(graph "$c" | awk '{print $1}' | sort -u) <(graph baseline | awk '{print $1}' | sort -u) | grep -v "^$c\$" | tr '\n' ' '; echo
  done
  for c in "${CONFIGS[@]}"; do
    [ "$c" = baseline ] && continue
    echo "## $c: who needs syn 2 (cargo tree -i syn@2 -e normal,build)"
    cargo tree --manifest-path "$B/$c/Cargo.toml" -i syn@2 -e normal,build 2>&1 | head -4
  done
  echo "## generated code: $(wc -l < "$SDK/generated/raw.rs") lines in generated/raw.rs"
} > results/facts.txt 2>&1

# fingerprint of the SDK source at build time (others may edit $SDK concurrently)
sdk_fp() { (cd "$SDK" && find Cargo.toml build.rs swagger.yaml src generated -type f 2>/dev/null | sort | xargs cat | sha256sum | cut -c1-12); }

# ---------- 4. measured clean builds, interleaved ----------
CSV=results/times.csv
echo "round,config,wall_s,user_s,sys_s,maxrss_kb,units,load1_before,sdk_fp" > "$CSV"
for r in $(seq 1 "$ROUNDS"); do
  timings=(); [ "$TIMINGS" = 1 ] && [ "$r" = "${TIMINGS_ROUND:-$ROUNDS}" ] && timings=(--timings)
  for c in "${CONFIGS[@]}"; do
    T="$B/target-$c"
    for try in $(seq 1 $MAX_TRIES); do
      rm -rf "$T"
      log="logs/r${r}-${c}-try${try}.log"; tv="logs/r${r}-${c}-try${try}.time"
      load=$(cut -d' ' -f1 /proc/loadavg); fp=$(sdk_fp)
      t0=$(date +%s.%N)
      CARGO_TARGET_DIR="$T" /usr/bin/time -v -o "$tv" \
        cargo build --manifest-path "$B/$c/Cargo.toml" --color never "${timings[@]}" > "$log" 2>&1
      rc=$?
      t1=$(date +%s.%N)
      if [ $rc -eq 0 ]; then
        wall=$(echo "$t1 - $t0" | bc)
        user=$(awk -F': ' '/User time/{print $2}' "$tv"); sys=$(awk -F': ' '/System time/{print $2}' "$tv")
        rss=$(awk -F': ' '/Maximum resident/{print $2}' "$tv")
        units=$(grep -c '^ *Compiling ' "$log")
        echo "$r,$c,$wall,$user,$sys,$rss,$units,$load,$fp" >> "$CSV"
        printf 'round %s %-20s wall %6.1f s  cpu %6.1f s  (%s crates compiled, load %s, sdk %s)\n' \
          "$r" "$c" "$wall" "$(echo "$user + $sys" | bc)" "$units" "$load" "$fp"
        "$T/debug/$c" > "logs/r${r}-${c}.run" 2>&1 || echo "  WARNING: binary $c failed to run"
        [ ${#timings[@]} -gt 0 ] && cp "$T"/cargo-timings/cargo-timing.html "results/timing-$c.html"
        break
      fi
      echo "round $r $c: build FAILED (try $try, rc $rc) -> not counted; see $B/$log; waiting 60 s"
      grep -m5 -E '^error' "$log" | sed 's/^/    /'
      sleep 60
    done
  done
done

# ---------- 5. summary ----------
echo; cat results/facts.txt; echo
python3 - "$CSV" "${CONFIGS[@]}" <<'EOF'
import csv, sys, statistics as st
rows = list(csv.DictReader(open(sys.argv[1])))
order = sys.argv[2:]
cpu = lambda r: float(r["user_s"]) + float(r["sys_s"])
by = {(r["round"], r["config"]): r for r in rows}
rounds = sorted({r["round"] for r in rows}, key=int)
print(f"{'config':20} {'median wall_s':>13} {'median cpu_s':>12}  {'cpu_s per round':24} {'crates':>6}")
for c in order:
    rs = [r for r in rows if r["config"] == c]
    if not rs: continue
    print(f"{c:20} {st.median(float(r['wall_s']) for r in rs):13.1f} {st.median(cpu(r) for r in rs):12.1f}"
          f"  {', '.join(f'{cpu(r):.1f}' for r in rs):24} {rs[0]['units']:>6}")
if "baseline" in order:
    print("\nratio to baseline, per round (same round = same machine load), and the median:")
    for c in order:
        if c == "baseline": continue
        pairs = [(by[(k, c)], by[(k, "baseline")]) for k in rounds if (k, c) in by and (k, "baseline") in by]
        if not pairs: continue
        rc = [cpu(a) / cpu(b) for a, b in pairs]
        rw = [float(a["wall_s"]) / float(b["wall_s"]) for a, b in pairs]
        print(f"  {c:20} cpu {st.median(rc):.2f}x ({', '.join(f'{x:.2f}' for x in rc)})"
              f"   wall {st.median(rw):.2f}x ({', '.join(f'{x:.2f}' for x in rw)})")
if "with_sdk" in order and "with_sdk_testing" in order:
    d = [cpu(by[(k, "with_sdk_testing")]) - cpu(by[(k, "with_sdk")]) for k in rounds
         if (k, "with_sdk") in by and (k, "with_sdk_testing") in by]
    if d: print(f"\nthe testing feature's extra cost: median {st.median(d):+.1f} s cpu per clean build")
EOF

# ---------- 6. where the time went (--timings of the last round) ----------
if [ "$TIMINGS" = 1 ]; then
  for c in "${CONFIGS[@]}"; do
    f="results/timing-$c.html"; [ -f "$f" ] || continue
    echo; echo "## $c: slowest units (cargo build --timings, round ${TIMINGS_ROUND:-$ROUNDS}; seconds; $f)"
    python3 - "$f" <<'EOF'
import json, re, sys
html = open(sys.argv[1]).read()
m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
if not m:
    print("  (no UNIT_DATA in the timings report)"); sys.exit()
units = json.loads(m.group(1))
total = sum(u["duration"] for u in units)
print(f"  {len(units)} units, {total:.1f} s summed")
for u in sorted(units, key=lambda u: -u["duration"])[:15]:
    kind = u.get("target", "").strip() or "lib"
    print(f"  {u['duration']:6.1f}  {u['name']} {u['version']} {kind}")
EOF
  done
fi
