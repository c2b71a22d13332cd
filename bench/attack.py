#!/usr/bin/env python3
"""Hostile clients against the release build: `make bench-attacks`, or
`python3 bench/attack.py --bin build/release/probity [--front direct|nginx|both] [--only NAME]`.

Starts `probity serve --demo-if-empty` on a fresh database on a free loopback port (and, with
--front nginx or both, nginx in front of it with config/nginx-probity-limits.conf and upstream
keep-alive, as config/nginx-probity.conf deploys it), then runs each attack for --seconds while
another client asks for /healthz every 200 ms through the same front and the server's resident
memory (VmRSS) is sampled every 100 ms. Prints one line per attack: what the attacker got,
/healthz answered and its slowest answer, and Probity's peak memory. Fails (exit 1) when an
attack gets what it must not (a body read without limit, more bytes than a file has, a slow head
kept open, a smuggled request answered or stored, a flood that stops /healthz) or memory passes
--max-rss-mb. Loopback only; every loop is bounded in time; every process started here is
stopped here.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import MEMBER, csrf, request, rss_kb, session_cookie, start_demo_server, stop_process  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CSS = "/assets/nhsuk-frontend.min.css"


def connect(port, timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def send_until_closed(s, chunk, seconds, pause=0.0):
    """Sends `chunk` repeatedly until the peer closes or `seconds` pass; returns (bytes accepted,
    seconds until the peer closed or None)."""
    sent, start = 0, time.monotonic()
    s.settimeout(1)
    while time.monotonic() < start + seconds:
        try:
            sent += s.send(chunk)
        except socket.timeout:
            continue
        except OSError:
            return sent, time.monotonic() - start
        if pause:
            time.sleep(pause)
    return sent, None


def read_all(s, seconds=5, most=1 << 30):
    s.settimeout(seconds)
    out = b""
    try:
        while len(out) < most:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except OSError:
        pass
    return out


def status_of(data):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return int(m.group(1)) if m else 0


class Watch:
    """/healthz every 200 ms and the server's memory every 100 ms, while an attack runs."""

    def __init__(self, port, pid):
        self.port, self.pid = port, pid
        self.ok = self.failed = 0
        self.slowest = 0.0
        self.peak_kb = rss_kb(pid)
        self.start_kb = self.peak_kb
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._health), threading.Thread(target=self._memory)]

    def _health(self):
        while not self.stop.is_set():
            t0 = time.monotonic()
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/healthz")
                r = c.getresponse()
                r.read()
                c.close()
                good = r.status == 200
            except Exception:
                good = False
            took = time.monotonic() - t0
            self.slowest = max(self.slowest, took)
            if good:
                self.ok += 1
            else:
                self.failed += 1
            self.stop.wait(max(0.0, 0.2 - took))

    def _memory(self):
        while not self.stop.is_set():
            self.peak_kb = max(self.peak_kb, rss_kb(self.pid))
            self.stop.wait(0.1)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()


# ---------------------------------------------------------------- attacks
# Each returns (what the attacker got, True when it got nothing it must not).

def no_length_body(port, seconds, ctx):
    """POST with neither Content-Length nor Transfer-Encoding, then bytes for as long as allowed."""
    results = []

    def one(i):
        s = connect(port)
        s.sendall(b"POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n")
        results.append(send_until_closed(s, b"a" * 65536, max(seconds, 10)))
        s.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    most = max(sent for sent, _ in results)
    closed = [after for _, after in results if after is not None]
    return (f"4 clients: {len(closed)} closed by the server, the last after {max(closed, default=0):.1f} s, at most "
            f"{most / 1e6:.1f} MB accepted (and dropped)", len(closed) == 4)


def many_ranges(port, seconds, ctx):
    """2,700 ranges of one static file in an 8 KB Range header, four clients at a time."""
    size = len(ctx["css"])
    ranges = "bytes=0-" + ",0-" * 2700
    biggest, count, stop = [0], [0], time.monotonic() + seconds
    lock = threading.Lock()

    def one():
        while time.monotonic() < stop:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            c.request("GET", CSS, headers={"Range": ranges, "Accept-Encoding": "identity"})
            r = c.getresponse()
            n = len(r.read())
            c.close()
            with lock:
                biggest[0] = max(biggest[0], n)
                count[0] += 1

    threads = [threading.Thread(target=one) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return f"{count[0]} requests, largest answer {biggest[0]:,} bytes (the file: {size:,})", biggest[0] <= size


def slow_heads(port, seconds, ctx):
    """256 connections, each sending one header line every 4 s (a read timeout restarted by every
    line never fires), for longer than the head may take (10 s)."""
    import select
    conns = []
    for _ in range(256):
        try:
            s = connect(port)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            conns.append(s)
        except OSError:
            break
    ended, answers = {}, {}
    started = time.monotonic()
    end, next_line, line = started + max(seconds, 20), started, 0
    while time.monotonic() < end and len(ended) < len(conns):
        live = [s for s in conns if s not in ended]
        readable, _, _ = select.select(live, [], [], 0.2)
        for s in readable:  # an answer, or the end of the connection
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if data:
                answers[s] = answers.get(s, b"") + data
            if not data or b"HTTP/1.1 " in data:
                ended[s] = time.monotonic() - started
        if time.monotonic() >= next_line:
            line += 1
            for s in live:
                if s not in ended:
                    try:
                        s.sendall(b"X-Slow-%d: 1\r\n" % line)
                    except OSError:
                        ended[s] = time.monotonic() - started
            next_line += 4
    for s in conns:
        s.close()
    timed_out = sum(1 for s in conns if status_of(answers.get(s, b"")) == 408)
    served = sum(1 for s in conns if status_of(answers.get(s, b"")) == 200)
    latest = max(ended.values(), default=0)
    return (f"{len(conns)} connections: {timed_out} answered 408, {len(conns) - len(ended)} still open, {served} served; "
            f"the last ended after {latest:.1f} s", len(ended) == len(conns) and served == 0)


def long_header_line(port, seconds, ctx):
    """One header line as long as the server will take (400 MB once added 400 MB of memory)."""
    s = connect(port)
    s.sendall(b"GET /healthz HTTP/1.1\r\nX-Long: ")
    sent, after = send_until_closed(s, b"a" * 65536, max(seconds, 10))
    answer = read_all(s, 2)
    s.close()
    closed = f"closed after {after:.1f} s" if after is not None else "still open"
    return (f"{sent / 1e6:.1f} MB accepted (and dropped), {closed}, answer {status_of(answer) or 'none'}",
            after is not None and status_of(answer) != 200)


def many_header_lines(port, seconds, ctx):
    """Up to 2,000,000 short header lines (all once accepted, with a 200)."""
    s = connect(port)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    sent, _ = send_until_closed(s, b"A: 1\r\n" * 10000, seconds)
    try:
        s.sendall(b"\r\n")
    except OSError:
        pass
    answer = read_all(s, 2)
    s.close()
    return f"{sent // 6:,} lines accepted, answer {status_of(answer) or 'none'}", status_of(answer) != 200


def smuggling(port, seconds, ctx):
    """Early refusals and bodies on GET, each carrying a partial nil return meant to capture the
    next request on the connection (behind a proxy with upstream keep-alive, the next user's,
    session cookie included). Then a member, signed in, uses the service: their requests must be
    answered as theirs, and no record may hold their cookie."""
    capture = (b"POST /my/nil-return HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
               b"Content-Length: 400\r\n\r\nnote=")
    heads = [
        b"POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n",
        b"POST /sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n",
    ]
    answers, stop = [], time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < stop:
        for head in heads:
            s = connect(port)
            s.sendall(head % len(capture) + capture)
            answers.append(read_all(s, 1).count(b"HTTP/1.1 "))
            s.close()
            status, _, _, _ = request(port, "GET", "/my", cookie=ctx["cookie"])
            if status != 200:
                answers.append(-status)
        rounds += 1
    stored = ctx["count_cookie"]()
    bad = [a for a in answers if a != 1]
    return (f"{rounds} rounds of {len(heads)}, {len(bad)} wrong answers, the member's cookie found in {stored} "
            f"records", not bad and stored == 0)


def sign_in_flood(port, seconds, ctx):
    """128 sign-ins at once with unknown addresses (scrypt needs 32 MiB each), again and again."""
    statuses, stop = {}, time.monotonic() + seconds
    lock = threading.Lock()

    def one(i):
        n = 0
        while time.monotonic() < stop:
            n += 1
            try:
                status, r, page, _ = request(port, "GET", "/sign-in")
                if status == 200:  # through nginx the form itself is rate-limited (503)
                    cookie = session_cookie(r, None)
                    status, r, _, _ = request(port, "POST", "/sign-in", {
                        "csrf_token": csrf(page), "email": f"nobody-{i}-{n}@attacker.example",
                        "password": "guess-123456"}, cookie=cookie)
            except Exception:
                status = 0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=one, args=(i,)) for i in range(128)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    text = ", ".join(f"{k or 'no answer'}: {v}" for k, v in sorted(statuses.items()))
    # 422 (checked and wrong), 503 with Retry-After (too many hashes waiting), 429 (nginx's rate
    # limit, or the address locked): never no answer or a 500.
    return f"answers {text}", not statuses.get(0) and not statuses.get(500)


ATTACKS = {f.__name__: f for f in [no_length_body, many_ranges, slow_heads, long_header_line, many_header_lines,
                                   smuggling, sign_in_flood]}


# ---------------------------------------------------------------- processes

def start_probity(binary, work):
    config = json.loads((ROOT / "config/probity.json").read_text())
    return start_demo_server(binary, work, work / "attack.db", config)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(upstream, work):
    port = free_port()
    root = work / "nginx"
    for d in ["", "body", "proxy", "fastcgi", "uwsgi", "scgi"]:
        (root / d).mkdir(parents=True, exist_ok=True)
        os.chmod(root / d, 0o777)
    (root / "nginx.conf").write_text(f"""
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    upstream probity {{ server 127.0.0.1:{upstream}; keepalive 16; }}
    limit_req_zone $binary_remote_addr zone=probity_sign_in:10m rate=10r/m;
    limit_conn_zone $binary_remote_addr zone=probity_conn:10m;
    server {{
        listen 127.0.0.1:{port};
        include {ROOT}/config/nginx-probity-limits.conf;
    }}
}}
""")
    proc = subprocess.Popen(["nginx", "-p", str(root), "-c", str(root / "nginx.conf"), "-g", "daemon off;"],
                            stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not start (is nginx-light installed?)")


def signed_in_cookie(port, password):
    status, r, page, _ = request(port, "GET", "/sign-in")
    cookie = session_cookie(r, None)
    status, r, _, _ = request(port, "POST", "/sign-in", {"csrf_token": csrf(page), "email": MEMBER, "password": password},
                              cookie=cookie)
    if status != 303:
        raise RuntimeError(f"the member could not sign in ({status})")
    return session_cookie(r, cookie)


def count_text(db, text):
    """How many rows of any table hold `text` (read-only, while the server runs)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    found = 0
    for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
        for col in cols:
            found += con.execute(f'SELECT count(*) FROM "{table}" WHERE CAST("{col}" AS TEXT) LIKE ?',
                                 (f"%{text}%",)).fetchone()[0]
    con.close()
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(ROOT / "build/release/probity"))
    ap.add_argument("--seconds", type=int, default=15, help="how long each attack runs")
    ap.add_argument("--front", choices=["direct", "nginx", "both"], default="both")
    ap.add_argument("--only", choices=sorted(ATTACKS), action="append")
    ap.add_argument("--max-rss-mb", type=float, default=300.0)
    a = ap.parse_args()
    fronts = ["direct", "nginx"] if a.front == "both" else [a.front]
    if "nginx" in fronts and not shutil.which("nginx"):
        sys.exit("nginx is not installed: `make bench-attacks` installs it")

    failed = 0
    print(f"{'attack':<18} {'front':<7} {'healthz ok':>10} {'slowest':>8} {'peak RSS':>9}  what the attacker got")
    for front in fronts:
        with tempfile.TemporaryDirectory(prefix="probity-attack-") as work:
            work = Path(work)
            server, port, password = start_probity(a.bin, work)
            nginx = None
            try:
                if front == "nginx":
                    nginx, target = start_nginx(port, work)
                else:
                    target = port
                cookie = signed_in_cookie(target, password)
                ctx = {"css": request(port, "GET", CSS)[2].encode(), "cookie": cookie,
                       "count_cookie": lambda: count_text(work / "attack.db", cookie.split("=", 1)[1])}
                for name in a.only or ATTACKS:
                    with Watch(target, server.pid) as w:
                        got, held = ATTACKS[name](target, a.seconds, ctx)
                    peak_mb = w.peak_kb / 1024
                    healthy = w.failed == 0
                    ok = held and healthy and peak_mb <= a.max_rss_mb and server.poll() is None
                    failed += not ok
                    print(f"{name:<18} {front:<7} {w.ok:>5}/{w.ok + w.failed:<4} {w.slowest * 1000:>6.0f}ms "
                          f"{peak_mb:>6.0f} MB  {got}{'' if ok else '  <-- FAILED'}", flush=True)
            finally:
                stop_process(nginx)
                stop_process(server)
    print(f"attacks: {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
