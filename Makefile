# The two commands of the README: `make run` and `make test`. Each installs what is missing
# first (scripts/install-deps.sh), so a fresh Debian 12 machine needs nothing else.
JOBS ?= $(shell nproc)
DEMO_DB ?= var/demo.db
PORT ?= 8080

.PHONY: run test deps build release debug asan check-format clean bench

run: deps release
	./build/release/probity serve --config config/probity.json --database $(DEMO_DB) --port $(PORT) --demo-if-empty

test: deps debug asan
	ctest --preset debug -j $(JOBS)
	ctest --preset asan -j $(JOBS)

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

# Benchmarks (issue 8): loopback only, bounded runs, about 6 minutes on 2 cores. Prints a table
# and writes docs/benchmarks.md. Needs wrk and nginx-light, which install-deps adds for this target.
bench:
	# Not through a linked node_modules (a worktree sharing another checkout's): npm ci would empty the shared copy.
	test -L node_modules || PROBITY_EXTRA_PACKAGES="wrk nginx-light python3 sqlite3" ./scripts/install-deps.sh
	@for c in wrk nginx python3 sqlite3; do command -v $$c >/dev/null || { echo "missing $$c: run PROBITY_EXTRA_PACKAGES=\"wrk nginx-light python3 sqlite3\" ./scripts/install-deps.sh"; exit 1; }; done
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target probity
	PROBITY_BENCH_VIA_MAKE=1 python3 bench/run.py $(BENCH_ARGS)

clean:
	rm -rf build
