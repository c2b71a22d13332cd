# The two commands of the README: `make run` and `make test`. Each installs what is missing
# first (scripts/install-deps.sh), so a fresh Debian 12 machine needs nothing else.
JOBS ?= $(shell nproc)
DEMO_DB ?= var/demo.db
PORT ?= 8080

# Long variants of the reliability tests (docs/reliability.md).
KILL_CYCLES ?= 300
FUZZ_SECONDS ?= 600
# What the package check needs beyond the build.
PACKAGE_CHECK_PACKAGES = dpkg-dev file systemd

.PHONY: run test test-deps browser-test deps build release debug debug-service asan asan-service bench bench-reads bench-mail bench-attacks soak bench-durability fuzz-long fuzz-merge load-test check-format clean package package-check package-test

# Builds only the service itself (not the test executables), so the first run is quick.
run: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target probity
	./build/release/probity serve --config config/probity.json --database $(DEMO_DB) --port $(PORT) --demo-if-empty

# One build serves every test: asan (clang, ASan+UBSan, warnings as errors) builds the service,
# the unit tests and the libFuzzer targets; the unit tests and fuzzers run first, then the browser
# tests (label "browser") drive that same instrumented service, verbosely, so their runner's
# summary (tests, pass, fail, skipped) is printed and a memory error met on a journey fails it.
# A second build with GCC (`make debug`: every target, warnings as errors) is for working on the
# code; CI does not compile it, as two builds on 2 cores left too little of CI's 20 minutes.
# The package check's tools are installed with everything else (one apt-get update, not two).
test: test-deps asan
	ctest --preset asan -j $(JOBS) -LE browser
	@cat build/asan/fuzz/*/summary.txt
	ctest --preset asan -L browser --verbose
	$(MAKE) --no-print-directory package-check

browser-test: deps debug
	ctest --preset debug -L browser --verbose

# Hundreds of SIGKILL cycles against the release build; prints kill cycles survived and
# acknowledged writes lost.
bench-durability: deps release
	PROBITY_KILL_CYCLES=$(KILL_CYCLES) ./build/release/tests/cli_tests "[durability]"

# Each fuzzer for FUZZ_SECONDS (default 10 minutes) instead of the test command's 30 s, from the
# committed corpus, with a new random seed. FUZZ_JOBS=1 runs the targets one after another (a
# shared machine). Then `make fuzz-merge` keeps what they found.
FUZZ_JOBS ?= $(JOBS)
fuzz-long: deps asan
	PROBITY_FUZZ_SECONDS=$(FUZZ_SECONDS) PROBITY_FUZZ_SEED=0 ctest --preset fuzz -j $(FUZZ_JOBS)
	@cat build/asan/fuzz/*/summary.txt

# Keeps what the fuzzers found: merges build/asan/fuzz/<target>/corpus (left by `make fuzz-long` or
# the test command) into the committed corpus tests/fuzz/corpus/<target>/, minimised with
# libFuzzer's -set_cover_merge=1: a small set reaching all the code the inputs reach, hand-written
# seeds always kept, at most 300 found inputs and 2 MB per target (tests/fuzz/merge_corpus.sh).
# Commit the result, so every later run, CI's included, starts from it.
FUZZ_TARGETS ?= bundle_import parsers forms
fuzz-merge: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  tests/fuzz/merge_corpus.sh build/asan/tests/fuzz/fuzz_$$t tests/fuzz/corpus/$$t build/asan/fuzz/$$t/corpus || exit 1; \
	done
	@git status --short --untracked-files=all tests/fuzz/corpus | wc -l | xargs echo "files added or removed under tests/fuzz/corpus:"

deps:
	./scripts/install-deps.sh

test-deps:
	PROBITY_EXTRA_PACKAGES="$(PACKAGE_CHECK_PACKAGES)" ./scripts/install-deps.sh

release:
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

debug:
	cmake --preset debug >/dev/null
	cmake --build --preset debug -j $(JOBS)

debug-service:
	cmake --preset debug >/dev/null
	cmake --build --preset debug -j $(JOBS) --target probity

asan:
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

asan-service:
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS) --target probity

# Benchmarks: loopback only, bounded runs, about 6 minutes on 2 cores. Prints a table
# and writes docs/benchmarks.md. Needs wrk and nginx-light, which install-deps adds for this target.
bench:
	PROBITY_EXTRA_PACKAGES="wrk nginx-light python3 sqlite3" ./scripts/install-deps.sh
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target probity
	PROBITY_BENCH_VIA_MAKE=1 python3 bench/run.py $(BENCH_ARGS)

# Uncached public reads at 100,000 and 1,000,000 interests (generated, never committed): each
# request's median and p99 with the public cache off, start-up time and RSS; prints a table and
# writes docs/benchmarks-reads.md. The 1,000,000 register takes a while to import.
READS_ARGS ?=
bench-reads:
	./scripts/install-deps.sh
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target probity
	python3 bench/reads.py --bin build/release/probity $(READS_ARGS)

# The mail sender's throughput (docs/benchmarks-notes.md): 2,000 messages through SMTP to a local
# aiosmtpd server and to the .eml spool, one `probity mail send` pass each; prints messages/s.
MAIL_ARGS ?=
bench-mail:
	PROBITY_EXTRA_PACKAGES="python3 python3-aiosmtpd" ./scripts/install-deps.sh
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target probity
	python3 bench/mail.py --bin build/release/probity $(MAIL_ARGS)

# Load test (docs/reliability.md): wrk for 30 s at 64 connections on the public register
# while a member signs in and declares; prints throughput, errors, the server's memory and the
# member's latencies, and fails on any error or memory growth. Needs wrk (installed here).
# cpp-httplib 0.11.4 holds a pool thread per keep-alive connection, so the pool must be larger
# than wrk's 64 connections or the member waits for wrk to finish (measured: a pool of 32 made a
# sign-in-and-declare round take 31 s); the shipped config's pool of 128 is used as it is.
LOAD_ARGS ?=
load-test:
	PROBITY_EXTRA_PACKAGES="wrk python3" ./scripts/install-deps.sh
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target probity
	python3 bench/load.py --bin build/release/probity $(LOAD_ARGS)

# The load test for 30 minutes: memory must level off (its troughs flat over the second half).
soak:
	$(MAKE) load-test LOAD_ARGS="--seconds 1800 $(LOAD_ARGS)"

# Hostile clients (docs/reliability.md, "Attacks"): each attack for ATTACK_SECONDS against the
# release build, directly and through nginx with config/nginx-probity-limits.conf; prints what
# each attacker got, /healthz answered meanwhile and peak memory, and fails if any attack gets
# through. About 4 minutes. Needs nginx-light (installed here).
ATTACK_SECONDS ?= 15
bench-attacks:
	PROBITY_EXTRA_PACKAGES="nginx-light python3" ./scripts/install-deps.sh
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target probity
	python3 bench/attack.py --bin build/release/probity --seconds $(ATTACK_SECONDS) $(ATTACK_ARGS)

# The Debian package (docs/deployment.md): the release build's binary, the NHS design system from
# node_modules, the config and the systemd units, as build/release/package/probity_<version>-1_<arch>.deb.
# PACKAGE_RELEASE sets the Debian revision (the part after the dash).
PACKAGE_RELEASE ?= 1
package: deps
	PROBITY_EXTRA_PACKAGES="$(PACKAGE_CHECK_PACKAGES)" ./scripts/install-deps.sh
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target probity
	rm -f build/release/package/probity_*.deb
	cd build/release && cpack -G DEB -D CPACK_DEBIAN_PACKAGE_RELEASE=$(PACKAGE_RELEASE)
	@ls build/release/package/probity_*-$(PACKAGE_RELEASE)_*.deb

# Part of `make test`: packages the service binary the test has just built (the asan build: no
# second compile in CI) and checks the package without installing it (contents, Depends,
# conffile, scripts, `systemd-analyze verify` on the units). A few seconds.
package-check: asan-service
	PROBITY_EXTRA_PACKAGES="$(PACKAGE_CHECK_PACKAGES)" ./scripts/install-deps.sh
	rm -f build/asan/package/probity_*.deb
	cd build/asan && cpack -G DEB >/dev/null
	packaging/check-package.sh build/asan/package/probity_*.deb

# Installs, upgrades, removes and purges the release package in a clean Debian 12 root (chroot,
# as root): not part of `make test`, because the first run's debootstrap takes about 5 minutes.
# The upgrade is to the same build packaged with a higher Debian revision.
package-test: package
	PROBITY_EXTRA_PACKAGES="debootstrap curl python3" ./scripts/install-deps.sh
	cd build/release && cpack -G DEB -D CPACK_DEBIAN_PACKAGE_RELEASE=$$(($(PACKAGE_RELEASE) + 1)) >/dev/null
	packaging/package-test.sh build/release/package/probity_*-$(PACKAGE_RELEASE)_*.deb \
	  build/release/package/probity_*-$$(($(PACKAGE_RELEASE) + 1))_*.deb

clean:
	rm -rf build
