#!/usr/bin/env python3
"""Probity's benchmarks: `make bench`, or `python3 bench/run.py --bin build/release/probity`.

Everything runs on loopback (127.0.0.1) with bounded wrk durations, and every server started here
is stopped here. Prints a table and writes docs/benchmarks.md (see --help for options).
"""
import argparse
import gzip
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-not-secret-2c9f"


def sh(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def wait_ready(url, deadline_s=30.0):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.005)
    raise RuntimeError(f"{url} not ready within {deadline_s}s")


def rss_kb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Server:
    """A Probity server on a free loopback port, stopped by stop() (SIGTERM, then wait)."""

    def __init__(self, binary, database, workdir, config_overrides=None):
        self.port = free_port()
        cfg = json.loads((ROOT / "config/probity.json").read_text())
        cfg.update({"host": "127.0.0.1", "port": self.port, "database": str(database),
                    "assets_dir": str(ROOT / "node_modules/nhsuk-frontend/dist/nhsuk"), "public_dir": str(ROOT / "public")})
        cfg.update(config_overrides or {})
        self.config = Path(workdir) / f"config-{self.port}.json"
        self.config.write_text(json.dumps(cfg))
        self.base = f"http://127.0.0.1:{self.port}"
        t0 = time.monotonic()
        self.proc = subprocess.Popen([str(binary), "serve", "--config", str(self.config)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, cwd=ROOT)
        wait_ready(self.base + "/healthz")
        self.startup_s = time.monotonic() - t0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Nginx:
    """nginx-light as it is usually deployed for static files, serving `root` on a free loopback port:
    a worker per core (as Probity runs a poller per core), open_file_cache, sendfile and keep-alive."""

    def __init__(self, root, workdir):
        self.port = free_port()
        self.prefix = Path(workdir) / "nginx"
        (self.prefix / "logs").mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(f"""
worker_processes auto;
daemon off;
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/logs/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 1000;
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 60s;
  open_file_cache_min_uses 1;
  open_file_cache_errors on;
  types {{ application/json json; text/html html; }}
  client_body_temp_path {self.prefix}/tmp; proxy_temp_path {self.prefix}/tmp;
  fastcgi_temp_path {self.prefix}/tmp; uwsgi_temp_path {self.prefix}/tmp; scgi_temp_path {self.prefix}/tmp;
  server {{
    listen 127.0.0.1:{self.port};
    root {root};
    location ~ \\.jsongz$ {{ default_type application/json; add_header Content-Encoding gzip; }}
    location ~ \\.htmlgz$ {{ default_type text/html; add_header Content-Encoding gzip; }}
  }}
}}
""")
        self.proc = subprocess.Popen(["nginx", "-p", str(self.prefix), "-c", str(conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        wait_ready(self.base + "/register.json")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: master and its worker exit
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def parse_duration(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    v, unit = float(m.group(1)), m.group(2)
    return v * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


class BenchError(RuntimeError):
    """A row whose figures cannot be trusted: wrk saw errors or an answer other than the one measured."""


STATUS_LUA = r"""
-- Counts every answer's status; printed at the end as "statuses {200=123}".
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for k, v in pairs(c) do all[k] = (all[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(all) do table.insert(parts, k .. "=" .. v) end
  io.write("statuses {" .. table.concat(parts, ",") .. "}\n")
end
"""


def wrk(url, duration, connections=16, threads=1, headers=None, script=None, expect_bytes=None):
    """One bounded wrk run; returns requests/s, mean and p99 latency (ms), requests and errors.
    Raises BenchError on any socket error, timeout or non-2xx/3xx answer, and, given
    `expect_bytes` (one whole response, head and body), when the bytes read per request are not
    that size: a run that was fast because it answered something else is not a figure."""
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for k, v in (headers or {}).items():
        args += ["-H", f"{k}: {v}"]
    if script:
        args += ["-s", str(script)]
    out = sh(args + [url])
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    mean = parse_duration(re.search(r"Latency\s+(\S+)", out).group(1))
    p99 = parse_duration(re.search(r"\s99%\s+(\S+)", out).group(1))
    m = re.search(r"(\d+) requests in \S+, ([\d.]+)([KMGT]?B) read", out)
    total = int(m.group(1))
    read = float(m.group(2)) * {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}[m.group(3)]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(int(x) for x in sock.groups()) if sock else 0)
    if errors:
        raise BenchError(f"{url}: wrk counted {errors} errors or non-2xx/3xx answers:\n{out}")
    per_request = read / max(total, 1)
    if expect_bytes is not None and abs(per_request - expect_bytes) > 0.03 * expect_bytes + 8:
        raise BenchError(f"{url}: {per_request:.0f} bytes read per request where one answer is {expect_bytes}:\n{out}")
    return {"rps": rps, "mean_ms": mean, "p99_ms": p99, "requests": total, "errors": errors, "bytes_per_request": per_request}


def check_statuses(url, headers, want, workdir, seconds=1):
    """A short wrk run that counts every answer's status (a Lua response callback, which slows wrk,
    so not in the timed runs): every answer must be `want` (200 or 304)."""
    lua = Path(workdir) / "statuses.lua"
    lua.write_text(STATUS_LUA)
    args = ["wrk", "-t1", "-c4", f"-d{seconds}s", "--timeout", "10s", "-s", str(lua)]
    for k, v in (headers or {}).items():
        args += ["-H", f"{k}: {v}"]
    out = sh(args + [url])
    counts = dict((int(k), int(v)) for k, v in re.findall(r"(\d+)=(\d+)", re.search(r"statuses \{([^}]*)\}", out).group(1)))
    if not counts or set(counts) != {want}:
        raise BenchError(f"{url}: answers by status {counts}, expected only {want}")
    return counts[want]


def response_size(url, headers):
    """The size in bytes of one whole answer as sent (status line, headers, body), read raw."""
    host, port = re.match(r"http://([^:/]+):(\d+)", url).groups()
    path = url.split(f":{port}", 1)[1]
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}"] + [f"{k}: {v}" for k, v in (headers or {}).items()]
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while b"\r\n\r\n" not in data:
            data += s.recv(65536)
        head, _, rest = data.partition(b"\r\n\r\n")
        status = int(head.split()[1])
        m = re.search(rb"(?i)\r\ncontent-length: (\d+)", head)
        length = int(m.group(1)) if m and status != 304 else 0
        while len(rest) < length:
            rest += s.recv(65536)
    return len(head) + 4 + length


class MachineLoad:
    """What else used the CPUs while the benchmark ran: the machine's busy time from /proc/stat
    less this script's own and its children's (servers, wrk, imports: all waited for), and
    /proc/loadavg and a short idle window before and after. Quiet only if both idle windows
    were under 10% busy and others used under 5% of the machine during the run."""

    @staticmethod
    def busy_seconds():
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def ours():
        import resource
        s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime

    @classmethod
    def idle_window(cls, seconds=3.0):
        b0, o0, t0 = cls.busy_seconds(), cls.ours(), time.monotonic()
        time.sleep(seconds)
        others = (cls.busy_seconds() - b0) - (cls.ours() - o0)
        return max(0.0, others / ((time.monotonic() - t0) * os.cpu_count()))

    def __init__(self):
        self.load_before = Path("/proc/loadavg").read_text().split()[:3]
        self.idle_before = self.idle_window()
        self.b0, self.o0, self.t0 = self.busy_seconds(), self.ours(), time.monotonic()

    def finish(self):
        wall = time.monotonic() - self.t0
        self.others = max(0.0, (self.busy_seconds() - self.b0) - (self.ours() - self.o0)) / (wall * os.cpu_count())
        self.idle_after = self.idle_window()
        self.load_after = Path("/proc/loadavg").read_text().split()[:3]
        self.quiet = self.idle_before < 0.10 and self.idle_after < 0.10 and self.others < 0.05
        return self

    def describe(self):
        figures = (f"other processes used {self.others:.0%} of the CPUs during the run; {self.idle_before:.0%} busy in an "
                   f"idle window before it and {self.idle_after:.0%} after; load average {' '.join(self.load_before)} "
                   f"before, {' '.join(self.load_after)} after")
        if self.quiet:
            return f"Quiet machine: {figures}."
        return (f"**Shared machine**: {figures}. wrk, the servers and other people's work competed for the same cores, so "
                f"absolute figures are low and noisy; ratios come from interleaved runs that saw the same load.")


def median_run(runs):
    """The run with the median requests/s (its p99 with it, so the pair is from one run)."""
    return sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]


def make_register(binary, workdir, interests):
    """Generates and imports a register; returns (database, token, meeting id, import seconds)."""
    bundle = Path(workdir) / f"bundle-{interests}.json"
    db = Path(workdir) / f"register-{interests}.db"
    for p in [db, Path(str(db) + "-wal"), Path(str(db) + "-shm")]:
        p.unlink(missing_ok=True)
    sh([sys.executable, str(ROOT / "bench/gen_bundle.py"), "--interests", str(interests), "-o", str(bundle)])
    t0 = time.monotonic()
    ids = json.loads(sh([str(binary), "--database", str(db), "import", str(bundle)]))
    import_s = time.monotonic() - t0
    subprocess.run([str(binary), "--database", str(db), "init", "--email", "bench-member@example.org", "--name", "Bench",
                    "--password-stdin"], input=PASSWORD + "\n", check=True, capture_output=True, text=True)
    token = sh([str(binary), "--database", str(db), "token", "create", "--email", "bench-member@example.org",
                "--label", "bench"]).strip()
    return db, token, ids["meetings"]["m-bench"], import_s


def machine():
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
            "kernel": platform.release(), "wrk": sh(["wrk", "-v"]).splitlines()[0] if False else "wrk 4.1.0",
            "nginx": subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()}


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bin", default=str(ROOT / "build/release/probity"))
    ap.add_argument("--output", default=str(ROOT / "docs/benchmarks.md"), help="markdown report ('' for none)")
    ap.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per read figure (the median is reported)")
    ap.add_argument("--sizes", default="1000,10000,100000", help="register sizes for the conflicts check")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--note", default="", help="a line for the report, e.g. what changed")
    a = ap.parse_args()
    binary = Path(a.bin).resolve()
    workdir = Path(tempfile.mkdtemp(prefix="probity-bench-"))
    load = MachineLoad()
    t_start = time.monotonic()
    failures = []  # rows that could not be measured, and why
    rows = []  # (section, measure, probity, nginx, ratio, runs, runs, cache off, median per-run ratio, status)
    results = {"machine": machine()}
    servers = []
    try:
        # ---- Public register reads: 1,000 people, 5,000 interests ----
        db, token, meeting, import_s = make_register(binary, workdir, 5000)
        probity = Server(binary, db, workdir)
        servers.append(probity)
        # The same server without the rendered-response cache: the "before" of docs/benchmarks.md.
        uncached = Server(binary, db, workdir, {"public_cache": False})
        servers.append(uncached)
        site = workdir / "site"
        site.mkdir()
        os.chmod(workdir, 0o755)
        gz = {"Accept-Encoding": "gzip"}
        browser = {"Accept-Encoding": "gzip, deflate, br"}
        cases = []
        for name, path, file, headers in [("JSON `GET /api/v1/register`", "/api/v1/register", "register.json", {}),
                                          ("JSON, gzip", "/api/v1/register", "register.jsongz", gz),
                                          ("HTML `GET /register`", "/register", "register.html", {}),
                                          # What a browser sends: Probity answers with its cached gzip copy.
                                          ("HTML, browser (gzip, deflate, br)", "/register", "register.htmlgz", browser)]:
            status, hdrs, body = get(probity.base + path, headers)
            assert status == 200, (path, status)
            assert get(uncached.base + path, headers)[2] == body
            (site / file).write_bytes(body)
            cases.append((name, path, file, headers, hdrs.get("ETag"), len(body)))
        os.chmod(site, 0o755)
        nginx = Nginx(site, workdir)
        servers.append(nginx)
        for name, path, file, headers, etag, size in cases:
            # Same bytes: check once that nginx answers with exactly what Probity sent.
            _, nhdrs, served = get(nginx.base + "/" + file)
            assert served == (site / file).read_bytes()
            variants = [(name + f" ({size / 1024:.1f} KB)", headers, {})]
            if not file.endswith("gz"):
                variants.append((name.split(" `")[0] + " 304 (If-None-Match)", {**headers, "If-None-Match": etag},
                                 {"If-None-Match": nhdrs.get("ETag")}))
            for label, ph, nh in variants:
                want = 304 if "If-None-Match" in ph else 200
                try:
                    # Each server's answer checked first: every status, and the size of one answer, which
                    # every timed run must then match byte for byte on average.
                    sizes = {}
                    for who, url, hh in [("probity", probity.base + path, ph), ("cache off", uncached.base + path, ph),
                                         ("nginx", nginx.base + "/" + file, nh)]:
                        check_statuses(url, hh, want, workdir)
                        sizes[who] = response_size(url, hh)
                    p_runs, u_runs, n_runs = [], [], []
                    for _ in range(a.repeat):  # interleaved, so all see the same background load
                        p_runs.append(wrk(probity.base + path, a.duration, a.connections, headers=ph, expect_bytes=sizes["probity"]))
                        u_runs.append(wrk(uncached.base + path, a.duration, a.connections, headers=ph, expect_bytes=sizes["cache off"]))
                        n_runs.append(wrk(nginx.base + "/" + file, a.duration, a.connections, headers=nh, expect_bytes=sizes["nginx"]))
                except BenchError as e:
                    failures.append(f"{label}: {e}")
                    print(f"{label:40s} FAILED: {e}", flush=True)
                    continue
                p, u, n = median_run(p_runs), median_run(u_runs), median_run(n_runs)
                ratios = sorted(x["rps"] / y["rps"] for x, y in zip(p_runs, n_runs))
                rows.append(("read", label, p, n, p["rps"] / n["rps"], [r["rps"] for r in p_runs], [r["rps"] for r in n_runs], u,
                             ratios[len(ratios) // 2], want))
                print(f"{label:40s} probity {p['rps']:8.0f}/s p99 {p['p99_ms']:6.2f} ms | cache off {u['rps']:7.0f}/s "
                      f"p99 {u['p99_ms']:6.2f} ms | nginx {n['rps']:8.0f}/s p99 {n['p99_ms']:6.2f} ms | ratio "
                      f"{p['rps'] / n['rps']:.2f} (median of per-run ratios {ratios[len(ratios) // 2]:.2f})", flush=True)
        # What the old authenticator cost every anonymous request (a pooled connection and a session
        # lookup): the same as a request carrying a cookie that names no session.
        cookie = {"Cookie": "probity_session=not-a-session"}
        auth_cost = None
        json_rows = [r for r in rows if r[1].startswith("JSON `GET")]
        try:
            with_cookie = median_run([wrk(uncached.base + "/api/v1/register", a.duration, a.connections, headers=cookie)
                                      for _ in range(a.repeat)])
            if json_rows:
                auth_cost = (with_cookie, json_rows[0][7])
                print(f"cache off, JSON: no cookie {json_rows[0][7]['rps']:.0f}/s; unknown session cookie "
                      f"{with_cookie['rps']:.0f}/s", flush=True)
        except BenchError as e:
            failures.append(f"cache off, with a cookie: {e}")
        nginx.stop()

        # ---- Declarations written through the API, synchronous=FULL ----
        lua = workdir / "declare.lua"
        body = json.dumps({"category": "financial", "organisation_name": "Riverside Surgery 3",
                           "nature": "Partner (benchmark)", "from": "2024-08-01"})
        lua.write_text('wrk.method = "POST"\nwrk.body = ' + json.dumps(body) + '\n'
                       'wrk.headers["Content-Type"] = "application/json"\n'
                       f'wrk.headers["Authorization"] = "Bearer {token}"\n')
        status, _, created = get(probity.base + "/api/v1/my", {"Authorization": f"Bearer {token}"})
        assert status == 200, status
        sync = "FULL, set on every connection by model/store/database.cpp: open_database"
        decl = []
        # Group commit (model/store/group_commit.hpp) shares one fsync between the declarations that
        # arrive together, so the rate depends on how many clients write at once: three sizes.
        for label, threads, conns in [("1 client", 1, 1), ("8 concurrent clients", 2, 8), ("16 concurrent clients", 2, 16)]:
            try:
                r = wrk(probity.base + "/api/v1/my/interests", a.duration, conns, threads=threads, script=lua)
            except BenchError as e:
                failures.append(f"declarations, {label}: {e}")
                continue
            decl.append((label, r))
            print(f"declarations, {label:22s} {r['rps']:8.0f}/s  mean {r['mean_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  "
                  f"non-201 {r['errors']}", flush=True)
        probity.stop()
        uncached.stop()

        # ---- Conflicts check, start-up and memory over growing registers ----
        conflicts = []
        # The floor for the check's bytes: nginx serving the very same JSON as a file, timed as the
        # checks are (one connection). A check cannot be answered faster than its bytes can be sent.
        floor_site = workdir / "conflicts-site"
        floor_site.mkdir()
        (floor_site / "register.json").write_bytes((site / "register.json").read_bytes())
        os.chmod(floor_site, 0o755)
        floor_nginx = Nginx(floor_site, workdir)
        servers.append(floor_nginx)
        for size in [int(s) for s in a.sizes.split(",")]:
            db, token, meeting, import_s = make_register(binary, workdir, size)
            starts = []
            for _ in range(3):
                s = Server(binary, db, workdir)
                starts.append(s.startup_s)
                if _ < 2:
                    s.stop()
            servers.append(s)
            url = f"{s.base}/api/v1/meetings/{meeting}/conflicts"
            auth = {"Authorization": f"Bearer {token}"}
            status, _, doc = get(url, auth)
            assert status == 200, status
            doc = json.loads(doc)
            flags = sum(len(i["flags"]) for i in doc["items"])
            # The same check built on every request: a server with the conflicts cache off.
            builder = Server(binary, db, workdir, {"conflicts_cache": False})
            servers.append(builder)
            built_url = f"{builder.base}/api/v1/meetings/{meeting}/conflicts"
            assert json.loads(get(built_url, auth)[2]) == doc
            try:
                check = median_run([wrk(url, max(2, a.duration // 2), 1, headers=auth) for _ in range(a.repeat)])
                built = median_run([wrk(built_url, max(2, a.duration // 2), 1, headers=auth) for _ in range(a.repeat)])
            except BenchError as e:
                failures.append(f"conflicts check, {size} interests: {e}")
                builder.stop()
                s.stop()
                continue
            builder.stop()
            raw = get(url, auth)[2]
            (floor_site / f"conflicts-{size}.json").write_bytes(raw)
            os.chmod(floor_site / f"conflicts-{size}.json", 0o644)
            try:
                floor = median_run([wrk(f"{floor_nginx.base}/conflicts-{size}.json", max(2, a.duration // 2), 1)
                                    for _ in range(a.repeat)])
            except BenchError as e:
                failures.append(f"nginx serving the conflicts check's bytes, {size} interests: {e}")
                floor = None
            status, _, _ = get(s.base + "/api/v1/register")
            t0 = time.monotonic()
            for _ in range(5):
                get(s.base + "/api/v1/register")
            reg_ms = (time.monotonic() - t0) / 5 * 1000
            peak = rss_kb(s.proc.pid, "VmHWM")
            conflicts.append({"interests": size, "import_s": import_s, "flags": flags, "check": check, "built": built,
                              "floor": floor, "bytes": len(raw),
                              "startup_s": statistics.median(starts), "peak_rss_mb": peak / 1024, "register_ms": reg_ms,
                              "db_mb": db.stat().st_size / 1e6})
            print(f"{size:7d} interests: import {import_s:6.1f} s, conflicts check built {built['mean_ms']:.2f} ms "
                  f"(p99 {built['p99_ms']:.2f}), cached {check['mean_ms']:.2f} ms (p99 {check['p99_ms']:.2f}), {flags} flags, start-up {statistics.median(starts) * 1000:.0f} ms, "
                  f"peak RSS {peak / 1024:.1f} MB, /api/v1/register {reg_ms:.1f} ms, "
                  f"nginx sending the same {len(raw):,} bytes {floor['mean_ms'] if floor else float('nan'):.2f} ms", flush=True)
            s.stop()
    finally:
        for s in servers:
            s.stop()
    elapsed = time.monotonic() - t_start
    load.finish()
    print(f"bench finished in {elapsed:.0f} s; {load.describe()}")
    if a.output:
        write_report(Path(a.output), a, results["machine"], rows, decl, sync, conflicts, elapsed, auth_cost, load, failures)
    shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print("FAILED rows (not figures):\n" + "\n".join(failures), file=sys.stderr)
        sys.exit(1)


def commit_description():
    """The commit measured, and whether the working tree had changes on top of it."""
    commit = sh(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).strip()
    dirty = sh(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"]).strip()
    return commit + (" with uncommitted changes" if dirty else "")


def write_report(path, a, m, rows, decl, sync, conflicts, elapsed, auth_cost, load, failures):
    cmd = "make bench" if os.environ.get("PROBITY_BENCH_VIA_MAKE") else "python3 bench/run.py " + " ".join(sys.argv[1:])
    L = []
    L.append("# Benchmarks\n")
    L.append("Generated by `bench/run.py`; do not edit by hand (notes on tuning are kept in "
             "`docs/benchmarks-notes.md`).\n")
    L.append(f"- Command: `{cmd}` (wrk {a.duration} s per run, {a.connections} connections, 1 wrk thread, "
             f"median of {a.repeat} interleaved runs); took {elapsed:.0f} s")
    L.append(f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} memory, Linux {m['kernel']}, {m['nginx']}")
    L.append(f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; commit {commit_description()}; every "
             f"figure below is from this run")
    L.append(f"- {load.describe()}")
    if failures:
        L.append(f"- **{len(failures)} row(s) failed** (wrk errors, or answers other than the one measured) and are "
                 f"left out: " + "; ".join(f.splitlines()[0] for f in failures))
    if a.note:
        L.append(f"- Note: {a.note}")
    L.append("\n## Public register, 1,000 people and 5,000 interests (page 1, 50 rows)\n")
    L.append("nginx-light as its users run it (`worker_processes auto`, `open_file_cache`, `sendfile`, keep-alive of "
             "1,000 requests, as Probity's) serves the identical response bytes as a static file (fetched from Probity "
             "once). Before the timed runs each server's answers are counted by status with a wrk Lua script (every "
             "one must be the status in the table), and each timed run fails on any wrk error or non-2xx/3xx answer and "
             "unless the bytes it read per request are one whole answer's. *Probity / nginx* is the ratio of the "
             "median runs; *per run* is the median of the ratios of runs made side by side.\n")
    L.append("| request | status | Probity req/s | Probity p99 | nginx req/s | nginx p99 | **Probity / nginx** | per run | Probity, cache off | runs (Probity; nginx) |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for _, label, p, n, ratio, pr, nr, u, per_run, want in rows:
        L.append(f"| {label} | {want} | {p['rps']:,.0f} | {p['p99_ms']:.2f} ms | {n['rps']:,.0f} | {n['p99_ms']:.2f} ms | "
                 f"**{ratio:.2f}** | {per_run:.2f} | {u['rps']:,.0f} (p99 {u['p99_ms']:.2f} ms) | "
                 f"{', '.join(f'{x:,.0f}' for x in pr)}; {', '.join(f'{x:,.0f}' for x in nr)} |")
    if auth_cost:
        wc, nc = auth_cost
        L.append(f"\nAuthenticator, cache off, JSON: {nc['rps']:,.0f} req/s without a cookie (no database work since the "
             f"cheap authenticator) against {wc['rps']:,.0f} req/s with a cookie naming no session (a pooled connection "
             f"and a session lookup, which every anonymous request paid before).")
    L.append(f"\n## Declarations written through the API (`POST /api/v1/my/interests`, bearer token, synchronous={sync})\n")
    L.append("| clients | acknowledged/s | mean | p99 | errors |")
    L.append("| --- | ---: | ---: | ---: | ---: |")
    for label, r in decl:
        L.append(f"| {label} | {r['rps']:,.0f} | {r['mean_ms']:.2f} ms | {r['p99_ms']:.2f} ms | {r['errors']} |")
    L.append("\n## Conflicts check, start-up and memory (meeting of 30 people and 40 items)\n")
    L.append("Each register has 5 interests per person (so N/5 people); the 30 participants hold 150 interests at "
             "every size, so the interests that can match stay the same while the register grows. Time per check is "
             "wrk's mean latency for `GET /api/v1/meetings/{id}/conflicts` with one connection (HTTP and JSON included): "
             "*built* on a server with `\"conflicts_cache\": false`, so every request reads the register and flags "
             "(what a check costs after any change), and *cached* with the shipped settings (the same check again "
             "while the register is unchanged). *nginx, same bytes*: nginx serving the check's JSON as a file, "
             "timed the same way: the time to send those bytes, below which no check can be answered. "
             "Start-up: process start to the first `/healthz` answer (median of 3). Peak RSS: VmHWM after the checks "
             "and six `GET /api/v1/register`.\n")
    L.append("| interests | flags | bytes | check built, mean | built, p99 | check cached, mean | cached, p99 | nginx, same bytes, mean | start-up | peak RSS | `GET /api/v1/register` | import | database |")
    L.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for c in conflicts:
        floor = f"{c['floor']['mean_ms']:.2f} ms" if c["floor"] else "failed"
        L.append(f"| {c['interests']:,} | {c['flags']} | {c['bytes']:,} | {c['built']['mean_ms']:.2f} ms | {c['built']['p99_ms']:.2f} ms | "
                 f"{c['check']['mean_ms']:.2f} ms | {c['check']['p99_ms']:.2f} ms | {floor} | "
                 f"{c['startup_s'] * 1000:.0f} ms | {c['peak_rss_mb']:.1f} MB | {c['register_ms']:.1f} ms | "
                 f"{c['import_s']:.1f} s | {c['db_mb']:.0f} MB |")
    notes = path.parent / "benchmarks-notes.md"
    if notes.exists():
        L.append("\n" + notes.read_text())
    path.write_text("\n".join(L) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
