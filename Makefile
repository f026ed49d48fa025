# mfkessai developer tasks. `make test` is what CI runs (see .ci/run).
SPEC ?= swagger.yaml
CARGO ?= cargo

.PHONY: generate test lint fmt-check clippy unit doc examples bench quickstart

## Regenerate generated/ from swagger.yaml (or from SPEC=path/to/vendor/swagger.yaml,
## which is copied over swagger.yaml first: the vendor file goes through unchanged).
generate:
	@if [ "$(SPEC)" != "swagger.yaml" ]; then cp "$(SPEC)" swagger.yaml; fi
	$(CARGO) run --quiet -p mfkessai-codegen -- swagger.yaml generated

## Everything CI checks: formatting, clippy, tests, docs, and every example run
## end to end on the fake server.
test: fmt-check clippy unit doc examples

lint: fmt-check clippy

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings

unit:
	$(CARGO) test --workspace --all-features

doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps --all-features

## The examples that run on the in-process fake Kessai server; each exits non-zero
## when a step does not give what it expects.
EXAMPLES = quickstart export_month recipe_auto_examination recipe_temporary_credit \
	recipe_transaction_within_credit recipe_customers_with_alert \
	recipe_transaction_by_customer_number recipe_per_transaction_examination
examples:
	@for e in $(EXAMPLES); do \
	  echo "== example $$e"; \
	  env -u MFKESSAI_API_KEY $(CARGO) run --quiet --all-features --example $$e >/dev/null || exit 1; \
	done
	$(CARGO) run --quiet --all-features --example webhook_receiver -- --self-test >/dev/null

bench:
	$(CARGO) bench --bench call_overhead
	$(CARGO) bench --features testing --bench pagination

quickstart:
	$(CARGO) run --example quickstart --features testing
