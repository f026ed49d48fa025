# mfkessai developer tasks. `make test` is what CI runs (see .ci/run).
SPEC ?= swagger.yaml
CARGO ?= cargo

.PHONY: generate test lint fmt-check clippy unit doc bench quickstart

## Regenerate generated/ from swagger.yaml (or from SPEC=path/to/vendor/swagger.yaml,
## which is copied over swagger.yaml first: the vendor file goes through unchanged).
generate:
	@if [ "$(SPEC)" != "swagger.yaml" ]; then cp "$(SPEC)" swagger.yaml; fi
	$(CARGO) run --quiet -p mfkessai-codegen -- swagger.yaml generated

## Everything CI checks: formatting, clippy, tests, docs.
test: fmt-check clippy unit doc

lint: fmt-check clippy

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings

unit:
	$(CARGO) test --workspace --all-features

doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps --all-features

bench:
	$(CARGO) bench --bench call_overhead
	$(CARGO) bench --features testing --bench pagination

quickstart:
	$(CARGO) run --example quickstart --features testing
