# mfkessai developer tasks. `make test` is what CI runs (see .ci/run).
SPEC ?= swagger.yaml
CARGO ?= cargo

.PHONY: conformance generate test lint fmt-check clippy unit doc examples package-check bench quickstart

## Regenerate generated/ from swagger.yaml (or from SPEC=path/to/vendor/swagger.yaml,
## which is copied over swagger.yaml first: the vendor file goes through unchanged).
generate:
	@if [ "$(SPEC)" != "swagger.yaml" ]; then cp "$(SPEC)" swagger.yaml; fi
	$(CARGO) run --quiet -p mfkessai-codegen -- swagger.yaml generated

## Everything CI checks: formatting, clippy, tests, every answer the fake gave in
## them against the spec, docs, every example run end to end on the fake server, and
## the packaged crate built as a dependency.
test: fmt-check clippy unit conformance doc examples package-check

lint: fmt-check clippy

fmt-check:
	$(CARGO) fmt --all -- --check

## The one --all-features pass: with `codegen`, build.rs regenerates the bindings, so
## the generator and the code it makes are compiled and linted here.
clippy:
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings

## The tests as users build the crate: default features plus `testing`, so the
## committed generated/raw.rs is what is compiled, behind build.rs's hash check.
## Then the generator's own tests, among them the drift test (generated/ is fresh).
## Run separately, not with --workspace, so the generator's dependency features
## (e.g. serde_json/preserve_order) do not leak into the SDK's build.
## Every answer any fake gives in the suite is recorded under $(ANSWERS) for
## `make conformance` (src/testing/record.rs).
ANSWERS ?= target/fake-answers
unit:
	rm -rf "$(ANSWERS)"
	MFKESSAI_FAKE_ANSWERS="$(abspath $(ANSWERS))" $(CARGO) test -p mfkessai --features testing
	$(CARGO) test -p mfkessai-codegen

## The answers `make unit` recorded, validated against the spec (generated/openapi.json
## as strict JSON Schema, tests/common/conformance.rs): fails naming the operation,
## the JSON path and the value.
conformance:
	MFKESSAI_FAKE_ANSWERS="$(abspath $(ANSWERS))" $(CARGO) test -p mfkessai --features testing \
	  --test fake_conformance -- --ignored --nocapture recorded_answers_conform

doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps --all-features

## The examples that run on the in-process fake Kessai server; each exits non-zero
## when a step does not give what it expects.
EXAMPLES = quickstart export_month recipe_auto_examination recipe_temporary_credit \
	recipe_transaction_within_credit recipe_customers_with_alert \
	recipe_transaction_by_customer_number recipe_per_transaction_examination \
	reconcile_payouts otel_export
examples:
	@for e in $(EXAMPLES); do \
	  echo "== example $$e"; \
	  env -u MFKESSAI_API_KEY $(CARGO) run --quiet --features testing --example $$e >/dev/null || exit 1; \
	done
	$(CARGO) run --quiet --features testing --example webhook_receiver -- --self-test >/dev/null
	env -u DATABASE_URL $(CARGO) run --quiet --features testing --example webhook_inbox -- --self-test >/dev/null

## The .crate as crates.io would serve it, built and run as a dependency (see the script).
package-check:
	bash scripts/package-check.sh

bench:
	$(CARGO) bench --bench call_overhead
	$(CARGO) bench --features testing --bench pagination
	$(CARGO) bench --features testing --bench hostile

quickstart:
	$(CARGO) run --example quickstart --features testing
