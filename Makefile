# copilot-gateway: the two commands of the README, plus bench and helpers.
#   make run    install what is missing, build (Release), run the gateway (demo without an account)
#   make test   install what tests need, build (ASan+UBSan), run every test suite
JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
ASAN_DIR := build/asan
FUZZ_DIR := build/fuzz
FUZZ_SECONDS ?= 15

.PHONY: run build deps test test-deps build-asan unit e2e agents fuzz bench format clean

deps:
	@bash scripts/install-deps.sh build

build: deps
	@cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DCG_TESTS=OFF >/dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target copilot-gateway copilot-sim

run: build
	@bash scripts/run.sh $(ARGS)

test-deps:
	@bash scripts/install-deps.sh build test

build-asan: test-deps
	@cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCG_SANITIZE=ON -DCG_WERROR=ON \
	  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" >/dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)

# C++ unit and integration tests (ctest prints the summary), a short run of every fuzz target,
# then the SDK end-to-end tests.
test: build-asan
	@cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory fuzz
	@$(MAKE) --no-print-directory e2e
	@$(MAKE) --no-print-directory agents

e2e:
	@cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	@cd tests/e2e && CG_BIN_DIR=$(abspath $(ASAN_DIR)) node --test --test-reporter=spec

# libFuzzer targets (fuzz/README.md): clang build in $(FUZZ_DIR), a regression pass over
# fuzz/corpus/, then FUZZ_SECONDS of fuzzing per target, two at a time.
fuzz: test-deps
	@cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCG_FUZZ=ON -DCG_TESTS=OFF \
	  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" >/dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzzers
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash fuzz/run.sh $(FUZZ_DIR)

# Real coding agents (Claude Code, Codex CLI; pinned in tests/agents/package-lock.json) against the
# gateway and simulator. They are ~360 MB to download and ~0.8 GB installed, so npm ci runs only
# when the lock file is newer than the install (npm writes node_modules/.package-lock.json last).
AGENTS_DIR := tests/agents
agents: $(AGENTS_DIR)/node_modules/.package-lock.json
	@cd $(AGENTS_DIR) && CG_BIN_DIR=$(abspath $(ASAN_DIR)) node --test --test-reporter=spec

$(AGENTS_DIR)/node_modules/.package-lock.json: $(AGENTS_DIR)/package-lock.json
	@cd $(AGENTS_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

bench:
	@bash scripts/install-deps.sh build bench
	@bash bench/run.sh

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	@rm -rf build
