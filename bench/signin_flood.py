#!/usr/bin/env python3
"""Sign-in flood: `python3 bench/signin_flood.py --bin build/release/probity`.

Starts `probity serve --demo-if-empty` on a fresh database on a free loopback port, with the
shipped config (so the production scrypt cost, N=2^15, r=8, p=3: 32 MiB per hash), then for
--seconds keeps --flood sign-ins in flight at once, each with an email address no account has
(a new one every time, so none is ever locked), as an attacker would. Meanwhile it
- samples the server's resident memory every 100 ms (VmRSS; VmHWM is the kernel's peak),
- asks GET /healthz every 200 ms, and
- asks GET /sign-in (a page that borrows a database connection) every 500 ms,
and then prints the answers the flood got, the peak memory, and how those other requests fared.
Exits 1 if any request failed outright or answered 500, or if /healthz or the sign-in page ever
failed. Loopback only; bounded in time (--seconds) and in connections (--flood); every process
started here is stopped here.
"""
import argparse
import collections
import http.client
import json
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def proc_kb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def request(port, method, path, body=None, cookie=None, timeout=30):
    """One request on a new connection; returns (status, response, body text, seconds)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Accept-Encoding": "identity"}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(body)
    t0 = time.monotonic()
    try:
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        text = r.read().decode("utf-8", "replace")
        return r.status, r, text, time.monotonic() - t0
    finally:
        conn.close()


def sign_in_form(port):
    """The CSRF cookie and token a browser gets from the sign-in page."""
    status, r, page, _ = request(port, "GET", "/sign-in")
    if status != 200:
        raise RuntimeError(f"GET /sign-in answered {status}")
    cookie = next((v.split(";", 1)[0] for k, v in r.getheaders() if k.lower() == "set-cookie"), None)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if not cookie or not token:
        raise RuntimeError("the sign-in page gave no CSRF cookie or token")
    return cookie, token.group(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(ROOT / "build/release/probity"))
    ap.add_argument("--flood", type=int, default=128, help="sign-ins in flight at once")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--config-json", default="{}", help='overrides for the config, e.g. \'{"accounts": {"hashing_queue": 4}}\'')
    a = ap.parse_args()
    if not 1 <= a.flood <= 512 or not 0 < a.seconds <= 600:
        ap.error("--flood must be 1-512 and --seconds at most 600")

    with tempfile.TemporaryDirectory(prefix="probity-flood-") as work:
        db = Path(work) / "flood.db"
        config = json.loads((ROOT / "config/probity.json").read_text())
        config.update(json.loads(a.config_json))
        config_file = Path(work) / "config.json"
        config_file.write_text(json.dumps(config))
        server = subprocess.Popen([a.bin, "--config", str(config_file), "--database", str(db), "serve", "--host",
                                   "127.0.0.1", "--port", "0", "--demo-if-empty"], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
        try:
            port = None
            for line in server.stdout:
                m = re.search(r"Probity is serving .* at http://[^:/]+:(\d+)/", line)
                if m:
                    port = int(m.group(1))
                    break
            if not port:
                raise RuntimeError("the server did not start")
            threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()  # keep the pipe drained
            request(port, "GET", "/healthz")
            rss_before = proc_kb(server.pid, "VmRSS")

            stop = threading.Event()
            lock = threading.Lock()
            answers = collections.Counter()
            latencies = collections.defaultdict(list)
            retry_after = collections.Counter()
            errors = []
            rss = []
            health, page = [], []  # (status or error text, seconds)

            def flood(n):
                try:
                    cookie, token = sign_in_form(port)
                except Exception as e:  # reported: the run then fails
                    with lock:
                        errors.append(f"flood {n}: {e}")
                    return
                i = 0
                while not stop.is_set():
                    i += 1
                    email = f"nobody-{n}-{i}@flood.example"
                    try:
                        status, r, _, seconds = request(port, "POST", "/sign-in",
                                                        {"csrf_token": token, "email": email, "password": "a guess"}, cookie)
                    except Exception as e:
                        with lock:
                            answers["no answer"] += 1
                            errors.append(f"flood {n}: {type(e).__name__}: {e}")
                        continue
                    with lock:
                        answers[status] += 1
                        latencies[status].append(seconds)
                        if status == 503:
                            retry_after[r.getheader("Retry-After")] += 1

            def sample():
                while not stop.is_set():
                    rss.append(proc_kb(server.pid, "VmRSS"))
                    stop.wait(0.1)

            def poll(path, every, out):
                while not stop.is_set():
                    try:
                        status, _, _, seconds = request(port, "GET", path, timeout=10)
                        out.append((status, seconds))
                    except Exception as e:
                        out.append((f"{type(e).__name__}", 10.0))
                    stop.wait(every)

            threads = [threading.Thread(target=flood, args=(n,)) for n in range(a.flood)]
            threads += [threading.Thread(target=sample), threading.Thread(target=poll, args=("/healthz", 0.2, health)),
                        threading.Thread(target=poll, args=("/sign-in", 0.5, page))]
            t0 = time.monotonic()
            for t in threads:
                t.start()
            stop.wait(a.seconds)
            stop.set()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - t0
            rss_after = proc_kb(server.pid, "VmRSS")
            peak = proc_kb(server.pid, "VmHWM")
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()

    def summary(samples):
        ok = [s for st, s in samples if st == 200]
        bad = [st for st, _ in samples if st != 200]
        worst = max((s for _, s in samples), default=0.0)
        return f"{len(ok)} of {len(samples)} answered 200, slowest {worst * 1000:.0f} ms" + (f"; failed: {bad[:5]}" if bad else "")

    total = sum(answers.values())
    print(f"sign-in flood: {a.flood} sign-ins in flight for {elapsed:.1f} s, every one with an unknown address "
          f"(config overrides: {a.config_json})")
    parts = []
    for status in sorted(answers, key=str):
        lat = sorted(latencies.get(status, []))
        median = f", median {lat[len(lat) // 2] * 1000:.0f} ms" if lat else ""
        parts.append(f"{status}: {answers[status]}{median}")
    print(f"  answers: {total} in all ({total / elapsed:.0f}/s); " + "; ".join(parts))
    if retry_after:
        print("  503 Retry-After values: " + ", ".join(f"{k!r} x{v}" for k, v in retry_after.items()))
    print(f"  server RSS (MiB): before {rss_before / 1024:.1f}, peak sampled {max(rss, default=0) / 1024:.1f}, "
          f"peak (VmHWM) {peak / 1024:.1f}, after {rss_after / 1024:.1f}")
    print(f"  GET /healthz every 200 ms: {summary(health)}")
    print(f"  GET /sign-in every 500 ms: {summary(page)}")
    for e in errors[:5]:
        print("  error: " + e)
    failed = errors or answers.get(500, 0) or any(st != 200 for st, _ in health + page) or not health or not page
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
