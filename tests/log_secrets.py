"""Fails if any log line written during the test suite holds a secret.

Reads every *.log file in the folder given (tests/CMakeLists.txt: the in-process HTTP servers of
server_tests, the `probity` processes of cli_tests, everything the browser tests' servers
printed) and looks for: the demo password and the test suites' own passwords, API tokens
(prb_...), session ids, CSRF tokens and set-password tokens (random hex of 32 characters or
more), OpenID Connect states, nonces and verifiers (random base64url), and session cookies.
Run by ctest after the suites that write the logs (the test_logs fixture's cleanup).

It also fails when there is nothing to read: a check over no log lines would prove nothing.
"""
import pathlib
import re
import sys

KNOWN_PASSWORDS = [
    "northbrook-demo-only",   # the demo accounts' (model/bundle, tests/browser/support.mjs)
    "correct horse battery",  # the HTTP tests' accounts (tests/server/browser.hpp)
]

PATTERNS = [
    ("an API token", re.compile(r"prb_[0-9a-f]{16,}")),
    ("a session id, CSRF token or set-password token (32+ hex digits)", re.compile(r"(?<![0-9a-fA-F])[0-9a-f]{32,}(?![0-9a-fA-F])")),
    ("a session cookie", re.compile(r"probity_session=[^;\s\"]")),
    ("a CSRF cookie", re.compile(r"probity_csrf=[^;\s\"]")),
]
# Random base64url of 32 bytes (43 characters) has upper and lower case letters and digits;
# words joined with underscores or hyphens do not.
BASE64URL_RUN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40,}(?![A-Za-z0-9_-])")


def looks_random(run):
    return any(c.isupper() for c in run) and any(c.islower() for c in run) and sum(c.isdigit() for c in run) >= 3


def main():
    folder = pathlib.Path(sys.argv[1])
    files = sorted(folder.glob("*.log")) if folder.is_dir() else []
    lines = 0
    requests = 0
    found = []
    for path in files:
        with path.open(encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                lines += 1
                if '"event":"request"' in line or "event=request " in line:
                    requests += 1
                where = f"{path.name}:{number}"
                for password in KNOWN_PASSWORDS:
                    if password in line:
                        found.append((where, f"the password {password!r}", line))
                for what, pattern in PATTERNS:
                    if pattern.search(line):
                        found.append((where, what, line))
                for run in BASE64URL_RUN.findall(line):
                    if looks_random(run):
                        found.append((where, "random base64url (an OpenID state, nonce or verifier)", line))
    print(f"log_secrets: read {lines} lines ({requests} request lines) in {len(files)} files under {folder}")
    if requests == 0:
        print("log_secrets: no request lines were logged, so this check would prove nothing; "
              "did the suites run with PROBITY_LOG_FILE / PROBITY_TEST_LOG set?")
        return 1
    for where, what, line in found[:50]:
        print(f"{where}: {what}:\n    {line.rstrip()[:400]}")
    if found:
        print(f"log_secrets: {len(found)} log lines hold a secret")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
