#!/usr/bin/env bash
# Tests the crates as crates.io would serve them, not as the repository holds them.
#
#   bash scripts/package-check.sh        (make package-check; CI runs it after make test)
#
# 1. `cargo package --workspace` packages mfkessai and mfkessai-codegen and builds each
#    from its .crate (cargo's own verification), then checks the file list and size.
# 2. Unpacks mfkessai's .crate into a temp dir, outside the repository, so none of the
#    repository's other files (Makefile, codegen/, tests/, ...) are there to lean on.
# 3. A downstream crate depends on the unpacked copy by path: it builds with default
#    features, then with `testing` runs a tiny program against FakeKessai.
# 4. The README's doctests run from the unpacked copy.
# 5. A copy with a tampered swagger.yaml (or any other input build.rs hashes) must fail
#    to build, saying how to regenerate.
#
# Builds share the repository's target dir, so dependencies already compiled by
# `make test` are reused; only the unpacked crates are compiled again.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
LIMIT=$((10 * 1024 * 1024)) # crates.io's upload limit
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mfkessai-package-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
step() { printf '\n== %s\n' "$*"; }
die() { printf 'package-check: FAILED: %s\n' "$*" >&2; exit 1; }
version_of() { cargo pkgid -p "$1" | sed 's/.*[#@]//'; }

VERSION=$(version_of mfkessai)
CODEGEN_VERSION=$(version_of mfkessai-codegen)
CRATE="$CARGO_TARGET_DIR/package/mfkessai-$VERSION.crate"
CODEGEN_CRATE="$CARGO_TARGET_DIR/package/mfkessai-codegen-$CODEGEN_VERSION.crate"

step "cargo package --workspace (packages both crates and builds each from its .crate)"
# --allow-dirty: on a developer's machine, check the worktree as it is; CI's clone is clean.
cargo package --workspace --allow-dirty --quiet

step "contents of mfkessai-$VERSION.crate"
LIST=$(tar -tzf "$CRATE" | sed "s|^mfkessai-$VERSION/||" | sort)
printf '%s\n' "$LIST" | sed 's/^/  /'
# The inputs build.rs hashes: swagger.yaml, plus every file generated/swagger.sha256 names.
INPUTS=$( (echo swagger.yaml; awk 'NF == 2 { print $2 }' generated/swagger.sha256) | sort -u)
for needed in Cargo.toml Cargo.lock build.rs README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE \
  $INPUTS generated/raw.rs generated/openapi.json generated/swagger.sha256 src/lib.rs; do
  grep -qx "$needed" <<< "$LIST" || die "$needed is missing from the package"
done
for unwanted in tests/ benches/ examples/ scripts/ .ci/ codegen/ target/; do
  if grep -q "^$unwanted" <<< "$LIST"; then die "$unwanted should not be in the package"; fi
done

for c in "$CRATE" "$CODEGEN_CRATE"; do
  size=$(stat -c %s "$c")
  [ "$size" -lt "$LIMIT" ] || die "$(basename "$c") is $size bytes, over crates.io's 10 MiB"
  printf '%s: %d files, %s KiB compressed (crates.io limit 10240 KiB)\n' "$(basename "$c")" \
    "$(tar -tzf "$c" | grep -cv '/$')" "$((size / 1024))"
done

step "unpack into $WORK"
tar -xzf "$CRATE" -C "$WORK"
tar -xzf "$CODEGEN_CRATE" -C "$WORK"
SDK="$WORK/mfkessai-$VERSION"
# mfkessai-codegen (an optional build-dependency) is not on crates.io until it is
# published; resolve it from its unpacked .crate, as `cargo publish --workspace` would.
PATCH=(--config "patch.crates-io.mfkessai-codegen.path=\"$WORK/mfkessai-codegen-$CODEGEN_VERSION\"")

step "downstream crate on the unpacked copy: default features"
mkdir -p "$WORK/downstream/src"
cat > "$WORK/downstream/Cargo.toml" <<EOF
[package]
name = "downstream"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[features]
fake = ["mfkessai/testing"]

[dependencies]
mfkessai = { path = "$SDK" }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

# As in the repository's manifest, so the dependencies built by make test are reused.
[profile.dev.package."*"]
debug = false
EOF
cat > "$WORK/downstream/src/main.rs" <<'EOF'
//! A user's first program: a client, and with `--features fake` one call to FakeKessai.

#[cfg(not(feature = "fake"))]
fn main() {
    let client = mfkessai::Client::builder().api_key("k").build().expect("client builds");
    println!("downstream (default features): {client:?}");
}

#[cfg(feature = "fake")]
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = mfkessai::testing::FakeKessai::start().await?;
    let client = fake.client()?;
    let page = client.customers().list().send().await?;
    println!(
        "downstream (features = [\"testing\"]): FakeKessai at {} listed {} customers",
        fake.base_url(),
        page.items.len()
    );
    Ok(())
}
EOF
cp "$SDK/Cargo.lock" "$WORK/downstream/Cargo.lock" # the versions the SDK was tested with
(cd "$WORK/downstream" && cargo build --quiet "${PATCH[@]}" && cargo run --quiet "${PATCH[@]}")

step "downstream crate: features = [\"testing\"], a tiny program against FakeKessai"
(cd "$WORK/downstream" && cargo run --quiet "${PATCH[@]}" --features fake)

step "the README's doctests, from the unpacked copy"
if ! out=$(cd "$SDK" && cargo test --doc --features testing "${PATCH[@]}" ReadmeDoctests 2>&1); then
  printf '%s\n' "$out" | tail -40
  die "the README's doctests failed in the packaged crate"
fi
grep -E '^test result' <<< "$out" | sed 's/^/  /'
grep -q ' [1-9][0-9]* passed' <<< "$out" || die "no README doctest ran: $out"

for input in $INPUTS; do
  step "a tampered $input fails the build and says how to regenerate"
  TAMPERED="$WORK/tampered-$(basename "$input")/mfkessai-$VERSION"
  mkdir -p "$(dirname "$TAMPERED")" && cp -R "$SDK" "$TAMPERED"
  printf '\n# tampered\n' >> "$TAMPERED/$input"
  if out=$(cd "$TAMPERED" && cargo check --lib --color never "${PATCH[@]}" 2>&1); then
    die "the build with a tampered $input succeeded"
  fi
  grep -q 'make generate' <<< "$out" || die "the stale-bindings error does not say how to regenerate: $out"
  { grep -E '^ *error: ' <<< "$out" | grep -v 'failed to run custom build' | head -2 | sed 's/^ */  /'; } || true
done

step "package check passed: mfkessai $VERSION ($(($(stat -c %s "$CRATE") / 1024)) KiB), mfkessai-codegen $CODEGEN_VERSION"
