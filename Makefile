# The two commands of the README: `make run` and `make test`. Each installs what is missing
# first (scripts/install-deps.sh), so a fresh Debian 12 machine needs nothing else.
JOBS ?= $(shell nproc)
DEMO_DB ?= var/demo.db
PORT ?= 8080

.PHONY: run test browser-test deps build release debug asan check-format clean

run: deps release
	./build/release/probity serve --config config/probity.json --database $(DEMO_DB) --port $(PORT) --demo-if-empty

# The browser tests (label "browser", debug build only) run last and verbosely, so their runner's
# summary (tests, pass, fail, skipped) is printed.
test: deps debug asan
	ctest --preset debug -j $(JOBS) -LE browser
	ctest --preset asan -j $(JOBS)
	ctest --preset debug -L browser --verbose

browser-test: deps debug
	ctest --preset debug -L browser --verbose

deps:
	./scripts/install-deps.sh

release:
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

debug:
	cmake --preset debug >/dev/null
	cmake --build --preset debug -j $(JOBS)

asan:
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

clean:
	rm -rf build
