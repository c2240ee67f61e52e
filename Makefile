# The two commands of the README, and their parts.
#   make demo   build, then run vigild on examples/ (stand-ins of Doris FE, BE and Broker)
#   make test   build with ASan/UBSan, run every test suite, then the fuzzers
# Both install missing Debian packages first (scripts/install-deps.sh).
#   make bench  release build, then vigild against supervisord, s6 and runit (bench/README.md)

FUZZ_SECONDS ?= 30
JOBS ?= 2

.PHONY: all deps build test unit-test fuzz demo release bench clean format

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

release: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

# ctest's exit status is make's: any failing test fails `make test`.
test: build
	cd build/asan && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory fuzz

unit-test: build
	cd build/asan && ctest --output-on-failure -j $(JOBS) -L unit

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@scripts/run-fuzzers.sh build/fuzz/tests/fuzz $(FUZZ_SECONDS)

demo: release
	@scripts/demo.sh build/release

# Not a test: measures and writes bench/results.md. BENCH_ARGS=--quick for a short try-out.
BENCH_ARGS ?=
bench: release
	@scripts/install-deps.sh bench
	python3 bench/run.py --markdown bench/results.md $(BENCH_ARGS)

format:
	@clang-format -i $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf build
