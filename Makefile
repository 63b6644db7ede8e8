# DanangChain — run `make help` for the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
GO ?= go
BIN := bin/danangchain
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.Version=$(VERSION)
DEMO_HOME ?= .demo
PKGS := ./...

.PHONY: help build demo test test-short test-e2e fuzz bench lint vuln clean localnet-start localnet-stop

help: ## Show this help
	@awk 'BEGIN{FS=":.*## "} /^[a-zA-Z_-]+:.*## /{printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## Build bin/danangchain (static)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/danangchain

demo: build ## Run the demo chain in $(DEMO_HOME) (Ctrl-C stops it)
	$(BIN) demo --home $(DEMO_HOME)

test: build ## Unit, fuzz-seed, race and multi-process tests (CI runs this)
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -timeout 20m $(PKGS)
	$(GO) test -count=1 -timeout 10m -run 'TestTenThousandResultsConcurrently' -v ./client/ | grep -E '^(---|ok|FAIL|PASS)|committed'

test-short: ## Fast tests without -race and without process tests
	$(GO) test -short -count=1 $(PKGS)

test-e2e: build ## Longer multi-process network tests (build tag e2e)
	$(GO) test -tags e2e -count=1 -timeout 40m -v ./networks/...

fuzz: ## Run each fuzz target for FUZZTIME (default 20s)
	@for pkg in ./registry ./app ./client/keyring; do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-20s} $$pkg || exit 1; \
	  done; \
	done

bench: build ## Go benchmarks and the load generator vs kvstore; writes docs/benchmarks.md
	bash scripts/bench.sh

clean: ## Remove build output and local networks
	rm -rf bin $(DEMO_HOME) .testnet .bench
