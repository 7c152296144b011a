# capsim build entry points. `make test` is what CI runs (.ci/run).

GO       ?= go
NPM      ?= npm
ARGS     ?=
FUZZTIME ?= 30s
BENCH    ?= .

ASSETS          := reports/assets
ECHARTS_JS      := $(ASSETS)/echarts.min.js
ECHARTS_MODULE  := $(ASSETS)/node_modules/echarts
ZRENDER_MODULE  := $(ASSETS)/node_modules/zrender
# The one place the version lives is package.json (locked by package-lock.json).
ECHARTS_VERSION := $(shell sed -n 's/^[[:space:]]*"echarts":[[:space:]]*"\([^"]*\)".*/\1/p' $(ASSETS)/package.json)
ASSET_LICENSES  := $(ASSETS)/ECHARTS-LICENSE $(ASSETS)/ECHARTS-NOTICE $(ASSETS)/ECHARTS-LICENSE-d3 $(ASSETS)/ZRENDER-LICENSE

.PHONY: all assets run test bench fuzz clean-assets

all: test

# assets: fetch the pinned ECharts from npm and copy the browser bundle and its
# licences next to reports/html.go, which embeds them. Idempotent: npm runs
# only when the bundle is missing, is another version, or a licence is missing.
# Files are written through a .tmp and renamed, so an interrupted run never
# leaves a half-written bundle behind.
assets:
	@set -e; \
	if [ -z "$(ECHARTS_VERSION)" ]; then \
		echo "assets: cannot read the echarts version from $(ASSETS)/package.json" >&2; exit 1; \
	fi; \
	ok=1; \
	[ -f "$(ECHARTS_JS)" ] && grep -qF 'version="$(ECHARTS_VERSION)"' "$(ECHARTS_JS)" || ok=0; \
	for f in $(ASSET_LICENSES); do [ -f "$$f" ] || ok=0; done; \
	if [ "$$ok" = 1 ]; then \
		echo "assets: echarts $(ECHARTS_VERSION) already built"; exit 0; \
	fi; \
	echo "assets: npm ci echarts@$(ECHARTS_VERSION)"; \
	$(NPM) ci --prefix $(ASSETS) --no-audit --no-fund; \
	grep -qF 'version="$(ECHARTS_VERSION)"' "$(ECHARTS_MODULE)/dist/echarts.min.js" || { \
		echo "assets: npm installed an echarts that is not $(ECHARTS_VERSION); check package-lock.json" >&2; exit 1; }; \
	cp "$(ECHARTS_MODULE)/LICENSE"                "$(ASSETS)/ECHARTS-LICENSE.tmp";    mv "$(ASSETS)/ECHARTS-LICENSE.tmp"    "$(ASSETS)/ECHARTS-LICENSE"; \
	cp "$(ECHARTS_MODULE)/NOTICE"                 "$(ASSETS)/ECHARTS-NOTICE.tmp";     mv "$(ASSETS)/ECHARTS-NOTICE.tmp"     "$(ASSETS)/ECHARTS-NOTICE"; \
	cp "$(ECHARTS_MODULE)/licenses/LICENSE-d3"    "$(ASSETS)/ECHARTS-LICENSE-d3.tmp"; mv "$(ASSETS)/ECHARTS-LICENSE-d3.tmp" "$(ASSETS)/ECHARTS-LICENSE-d3"; \
	cp "$(ZRENDER_MODULE)/LICENSE"                "$(ASSETS)/ZRENDER-LICENSE.tmp";    mv "$(ASSETS)/ZRENDER-LICENSE.tmp"    "$(ASSETS)/ZRENDER-LICENSE"; \
	cp "$(ECHARTS_MODULE)/dist/echarts.min.js"    "$(ECHARTS_JS).tmp";                mv "$(ECHARTS_JS).tmp"                "$(ECHARTS_JS)"; \
	echo "assets: wrote $(ECHARTS_JS) (echarts $(ECHARTS_VERSION)) and its licences"

clean-assets:
	rm -rf $(ASSETS)/node_modules $(ECHARTS_JS) $(ASSET_LICENSES)

run: assets
	$(GO) run ./cmd/capsim run $(ARGS)

# test: every package, then ./stack on its own: its tests time a real
# HAProxy stack against the simulation (docs/validation.md), and the other
# packages' tests running beside them on 2 cores shift its latencies by
# milliseconds.
test: assets
	$(GO) test $$($(GO) list ./... | grep -v '/stack$$')
	$(GO) test ./stack

bench: assets
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem ./...

# fuzz: go test -fuzz takes one package and one target at a time, so run every
# Fuzz* function of every package for FUZZTIME each (scripts/fuzz-all.sh).
fuzz: assets
	scripts/fuzz-all.sh $(FUZZTIME)
