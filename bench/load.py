#!/usr/bin/env python3
"""Load test: `make load-test`, or `python3 bench/load.py --bin build/release/probity`.

Starts `probity serve --demo-if-empty` on a fresh database on a free loopback port, then runs wrk
on the public register (30 s, 64 connections by default) while
- sampling the server's resident memory (VmRSS) every second, and
- signing in as a GP member of the demo data (through the real sign-in form) and declaring an
  interest through the real form, again every few seconds; each must succeed, and its latency is
  recorded.
Fails (exit 1) if wrk saw any error or non-2xx/3xx answer, if a sign-in or declaration failed, if
memory grew by more than --max-growth-mb between the first and the last 5 s of the run, or if the
memory's troughs (the least in each tenth of the run) rose by more than --max-trough-rise-mb over
its second half: memory that levels off does not. `make soak` runs it for 30 minutes.
Every process started here is stopped here.
"""
import argparse
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
MEMBER = "hassan@northbrook.example"  # a GP member in the demo data set


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def request(port, method, path, body=None, cookie=None):
    """One request on a new connection; returns (status, headers, body text, seconds)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Accept-Encoding": "identity"}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(body)
    t0 = time.monotonic()
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    text = r.read().decode("utf-8", "replace")
    seconds = time.monotonic() - t0
    conn.close()
    return r.status, r, text, seconds


def session_cookie(response, fallback):
    for name, value in response.getheaders():
        # probity_csrf before sign-in (signed-out forms' token), probity_session after it.
        if name.lower() == "set-cookie" and value.startswith(("probity_session=", "probity_csrf=")):
            return value.split(";", 1)[0]
    return fallback


def csrf(text):
    m = re.search(r'name="csrf_token" value="([^"]+)"', text)
    if not m:
        raise RuntimeError("no CSRF token in the page")
    return m.group(1)


def sign_in_and_declare(port, password, n):
    """Signs in through the form and declares an interest through the form; returns timings (ms):
    the POST /sign-in, the POST of the declaration, and the whole round (five requests, each on a
    new connection, as a browser opening the site would)."""
    t0 = time.monotonic()
    status, r, page, _ = request(port, "GET", "/sign-in")
    if status != 200:
        raise RuntimeError(f"GET /sign-in answered {status}")
    cookie = session_cookie(r, None)
    status, r, _, sign_in_s = request(port, "POST", "/sign-in",
                                      {"csrf_token": csrf(page), "email": MEMBER, "password": password}, cookie)
    if status != 303:
        raise RuntimeError(f"sign-in answered {status}")
    cookie = session_cookie(r, cookie)
    status, _, form, _ = request(port, "GET", "/my/interests/new", cookie=cookie)
    if status != 200:
        raise RuntimeError(f"GET /my/interests/new answered {status}")
    status, r, _, declare_s = request(port, "POST", "/my/interests/new", {
        "csrf_token": csrf(form), "category": "non_financial_professional", "organisation_name": f"Load Test Society {n}",
        "nature": f"Member of an advisory panel (load test declaration {n})", "from-day": "1", "from-month": "9",
        "from-year": "2026"}, cookie)
    location = r.getheader("Location") or ""
    if status != 303 or not location.startswith("/my/interests/"):
        raise RuntimeError(f"declaring answered {status} {location}")
    status, _, detail, _ = request(port, "GET", location.split("?")[0], cookie=cookie)
    if status != 200 or f"load test declaration {n}" not in detail:
        raise RuntimeError("the declaration is not on the member's page")
    return sign_in_s * 1000, declare_s * 1000, (time.monotonic() - t0) * 1000


def stop_process(proc):
    """SIGTERM, then SIGKILL if it has not ended within 10 s."""
    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_demo_server(binary, work, db, config):
    """`probity serve --demo-if-empty` on `db` with `config` (written into `work`) on a free
    loopback port; returns (process, port, the demo password). Stops it if it does not start."""
    config_file = work / "config.json"
    config_file.write_text(json.dumps(config))
    server = subprocess.Popen([binary, "--config", str(config_file), "--database", str(db), "serve", "--host",
                               "127.0.0.1", "--port", "0", "--demo-if-empty"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    password, port = None, None
    for line in server.stdout:
        m = re.search(r'with the password "([^"]+)"', line)
        if m:
            password = m.group(1)
        m = re.search(r"Probity is serving .* at http://[^:/]+:(\d+)/", line)
        if m:
            port = int(m.group(1))
            break
    if not port or not password:
        server.kill()
        server.wait()
        raise RuntimeError("the server did not start with the demo accounts")
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()  # keep the pipe drained
    return server, port, password


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(ROOT / "build/release/probity"))
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--path", default="/register", help="what wrk requests")
    ap.add_argument("--declare-every", type=float, default=5.0, help="seconds between sign-in-and-declare rounds")
    ap.add_argument("--max-growth-mb", type=float, default=64.0)
    ap.add_argument("--max-trough-rise-mb", type=float, default=8.0,
                    help="how far the memory's troughs may rise over the second half of the run")
    ap.add_argument("--server-threads", type=int, help="the server's thread pool (default: config/probity.json's)")
    a = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="probity-load-") as work:
        db = Path(work) / "load.db"
        config = json.loads((ROOT / "config/probity.json").read_text())
        if a.server_threads:
            config["threads"] = a.server_threads
        server, port, password = start_demo_server(a.bin, Path(work), db, config)
        try:
            request(port, "GET", a.path)  # warm: the first render fills the cache

            rss, stop = [], threading.Event()

            def sample():
                while not stop.is_set():
                    rss.append(rss_kb(server.pid))
                    stop.wait(1.0)

            rounds, failures = [], []

            def declare():
                n = 0
                stop.wait(2.0)
                while not stop.is_set():
                    n += 1
                    try:
                        rounds.append(sign_in_and_declare(port, password, n))
                    except Exception as e:  # recorded and reported: the run then fails
                        failures.append(str(e))
                    stop.wait(a.declare_every)

            threads = [threading.Thread(target=sample), threading.Thread(target=declare)]
            for t in threads:
                t.start()
            t0 = time.monotonic()
            out = subprocess.run(["wrk", f"-t{a.threads}", f"-c{a.connections}", f"-d{a.seconds}s", "--latency",
                                  "--timeout", "10s", "-H", "Accept-Encoding: gzip", f"http://127.0.0.1:{port}{a.path}"],
                                 capture_output=True, text=True, check=True).stdout
            elapsed = time.monotonic() - t0
            stop.set()
            for t in threads:
                t.join()
        finally:
            stop_process(server)

    total = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", out)
    p99 = re.search(r"\s99%\s+(\S+)", out).group(1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(int(x) for x in sock.groups()) if sock else 0)
    first = max(rss[:5]) / 1024 if rss else 0
    last = max(rss[-5:]) / 1024 if rss else 0
    growth = last - first
    # Each sign-in's scrypt takes 32 MiB for a moment, so peaks say little; the troughs (the least
    # memory in each tenth of the run) show what is kept. Memory that levels off has the same
    # trough at the end of the run as half-way through.
    window = max(5, len(rss) // 10)
    troughs = [min(rss[i:i + window]) / 1024 for i in range(0, len(rss) - window + 1, window)]
    trough_rise = troughs[-1] - troughs[len(troughs) // 2] if len(troughs) >= 2 else 0.0

    print(f"load test: wrk {a.seconds} s, {a.connections} connections, {a.threads} threads on GET {a.path} "
          f"({elapsed:.0f} s wall); server thread pool {config['threads']}")
    print(f"  requests {total}, {rps:.0f} req/s, latency mean {latency.group(1)}, max {latency.group(3)}, p99 {p99}, "
          f"errors {errors}" + (f" (non-2xx/3xx {bad.group(1) if bad else 0}; socket errors connect/read/write/timeout "
                                 f"{'/'.join(sock.groups()) if sock else '0/0/0/0'})" if errors else ""))
    if rss:
        print(f"  server RSS (MiB): start {rss[0] / 1024:.1f}, max {max(rss) / 1024:.1f}, end {rss[-1] / 1024:.1f}; "
              f"first 5 s max {first:.1f}, last 5 s max {last:.1f}, growth {growth:+.1f} ({len(rss)} samples)")
        step = max(1, len(rss) // 12)
        print("  server RSS every " + str(step) + " s (MiB): " + " ".join(f"{x / 1024:.0f}" for x in rss[::step]))
        print(f"  server RSS troughs, each the least in {window} s (MiB): " + " ".join(f"{x:.0f}" for x in troughs) +
              f"; rise over the second half {trough_rise:+.1f} (limit {a.max_trough_rise_mb:.0f})")
    for i, (sign_in_ms, declare_ms, round_ms) in enumerate(rounds, 1):
        print(f"  member round {i}: POST /sign-in {sign_in_ms:.0f} ms, POST declaration {declare_ms:.0f} ms, "
              f"whole round (5 requests) {round_ms:.0f} ms")
    for f in failures:
        print(f"  FAILED member round: {f}")
    ok = errors == 0 and not failures and rounds and growth <= a.max_growth_mb and trough_rise <= a.max_trough_rise_mb
    print("load test: " + ("ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
