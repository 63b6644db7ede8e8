# DanangChain — run `make help` for the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
GO ?= go
BIN := bin/danangchain
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.Version=$(VERSION)
DEMO_HOME ?= .demo
PKGS := ./...

.PHONY: help wasm build demo screenshots test test-short test-e2e fuzz fuzz-short bench bench-state lint vuln clean localnet-image localnet-start localnet-stop localnet-rollback localnet-clean

help: ## Show this help
	@awk 'BEGIN{FS=":.*## "} /^[a-zA-Z0-9_-]+:.*## /{printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

WASM := cmd/danangchain/web/verifier.wasm
WASM_EXEC := cmd/danangchain/web/wasm_exec.js

wasm: ## Build the browser verifier (package verification -> WebAssembly) into the page assets
	GOOS=js GOARCH=wasm CGO_ENABLED=0 $(GO) build -tags force64bit -trimpath -ldflags "-s -w" -o $(WASM) ./cmd/danangchain-wasm
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" $(WASM_EXEC)

build: wasm ## Build bin/danangchain (static; embeds the verify page and its WebAssembly verifier)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/danangchain

demo: build ## Run the demo chain in $(DEMO_HOME) (Ctrl-C stops it)
	$(BIN) demo --home $(DEMO_HOME)

screenshots: build ## Capture the verify and product pages of a demo in headless Chromium into docs/screenshots (~2 min)
	DANANGCHAIN_BIN=$(abspath $(BIN)) SCREENSHOT_OUT=$(CURDIR)/docs/screenshots $(GO) test -tags screenshots -count=1 -timeout 15m \
	  -run '^TestScreenshots$$' -v ./networks/ | grep -E '^(---|ok|FAIL|PASS)|screenshots,'

test: build ## Unit, fuzz-seed, race and multi-process tests incl. the quick fault suite (CI runs this)
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -timeout 20m $(PKGS)
	$(GO) test -count=1 -timeout 10m -run 'TestTenThousandResultsConcurrently' -v ./client/ | grep -E '^(---|ok|FAIL|PASS)|committed'

test-short: ## Fast tests without -race and without process tests
	$(GO) test -short -count=1 $(PKGS)

E2E_RUN ?= ^TestE2E
test-e2e: build ## Fault-injection suite (build tag e2e; E2E_RUN=regexp, DANANGCHAIN_FAULT_REPORT=file)
	$(GO) test -tags e2e -count=1 -timeout 40m -v -run '$(E2E_RUN)' ./networks/

fuzz: ## Run each fuzz target for FUZZTIME (default 20s)
	@for pkg in ./registry ./app ./client/keyring; do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-20s} $$pkg || exit 1; \
	  done; \
	done

fuzz-short: ## Time-boxed fuzz run of the decoders and verifiers (FUZZTIME each, default 5s; CI)
	bash scripts/fuzz-short.sh

vuln: ## govulncheck v1.1.4: fail on reachable vulnerabilities (skips if the database is unreachable)
	bash scripts/vulncheck.sh

bench: build ## Go benchmarks and the load generator vs kvstore; writes docs/benchmarks.md
	bash scripts/bench.sh

bench-state: build ## State at 10^7 records: write rate vs 10^4, proven lookups, disk bytes (~2 h; STATE_RECORDS, STATE_MAX_FILL)
	bash scripts/bench_state.sh

# networks/local: 4 validators + an optional full node in containers built
# FROM scratch with the static binary (see networks/local/README.md).
LOCALNET := networks/local
COMPOSE ?= $(shell if docker compose version >/dev/null 2>&1; then echo "docker compose"; else echo docker-compose; fi)
# Containers run as a non-root uid: yours, or 10000 when you are root.
LOCALNET_UID ?= $(shell u=$$(id -u); [ "$$u" = 0 ] && echo 10000 || echo $$u)
LOCALNET_GID ?= $(shell u=$$(id -u); [ "$$u" = 0 ] && echo 10000 || id -g)
LOCALNET_ENV := LOCALNET_UID=$(LOCALNET_UID) LOCALNET_GID=$(LOCALNET_GID)

localnet-image: build ## Build the danangchain/node:local image (FROM scratch + bin/danangchain)
	docker build -q -f $(LOCALNET)/Dockerfile -t danangchain/node:local $(dir $(BIN))

localnet-start: localnet-image ## Start the docker-compose network (homes generated once into networks/local/build)
	@if [ ! -d $(LOCALNET)/build/node0 ]; then \
	  $(BIN) testnet --validators 4 --full-nodes 1 --output $(LOCALNET)/build --starting-ip 172.30.0.2 \
	    --listen-host 0.0.0.0 --chain-id danang-localnet --snapshot-interval 50; \
	  if [ "$$(id -u)" = 0 ]; then chown -R $(LOCALNET_UID):$(LOCALNET_GID) $(LOCALNET)/build; fi; \
	fi
	$(LOCALNET_ENV) $(COMPOSE) -f $(LOCALNET)/docker-compose.yml up -d
	@echo "Status: $(BIN) status --home $(LOCALNET)/build/node0   Metrics: curl -s 127.0.0.1:26603/metrics"

localnet-stop: ## Stop the docker-compose network (state is kept in networks/local/build)
	$(LOCALNET_ENV) $(COMPOSE) -f $(LOCALNET)/docker-compose.yml --profile fullnode down

NODE ?= node2
localnet-rollback: ## Stop NODE (default node2), roll it back one height in a container, start it again
	$(LOCALNET_ENV) $(COMPOSE) -f $(LOCALNET)/docker-compose.yml stop $(NODE)
	docker run --rm --network none --user $(LOCALNET_UID):$(LOCALNET_GID) -v $(CURDIR)/$(LOCALNET)/build/$(NODE):/home/danang \
	  danangchain/node:local rollback --home /home/danang
	$(LOCALNET_ENV) $(COMPOSE) -f $(LOCALNET)/docker-compose.yml start $(NODE)

localnet-clean: localnet-stop ## Stop the network and delete its homes
	rm -rf $(LOCALNET)/build

clean: ## Remove build output and local networks
	rm -rf bin $(DEMO_HOME) .testnet .bench
