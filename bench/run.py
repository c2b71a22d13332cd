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
    """nginx-light, one worker, serving files from `root` on a free loopback port."""

    def __init__(self, root, workdir):
        self.port = free_port()
        self.prefix = Path(workdir) / "nginx"
        (self.prefix / "logs").mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(f"""
worker_processes 1;
daemon off;
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/logs/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nodelay on;
  keepalive_requests 1000;
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


def wrk(url, duration, connections=16, threads=1, headers=None, script=None):
    """One bounded wrk run; returns requests/s, mean and p99 latency (ms), requests, errors."""
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for k, v in (headers or {}).items():
        args += ["-H", f"{k}: {v}"]
    if script:
        args += ["-s", str(script)]
    out = sh(args + [url])
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    mean = parse_duration(re.search(r"Latency\s+(\S+)", out).group(1))
    p99 = parse_duration(re.search(r"\s99%\s+(\S+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(int(x) for x in sock.groups()) if sock else 0)
    return {"rps": rps, "mean_ms": mean, "p99_ms": p99, "requests": total, "errors": errors}


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
    t_start = time.monotonic()
    rows = []  # (section, measure, probity, nginx, ratio)
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
                p_runs, u_runs, n_runs = [], [], []
                for _ in range(a.repeat):  # interleaved, so all see the same background load
                    p_runs.append(wrk(probity.base + path, a.duration, a.connections, headers=ph))
                    u_runs.append(wrk(uncached.base + path, a.duration, a.connections, headers=ph))
                    n_runs.append(wrk(nginx.base + "/" + file, a.duration, a.connections, headers=nh))
                p, u, n = median_run(p_runs), median_run(u_runs), median_run(n_runs)
                rows.append(("read", label, p, n, p["rps"] / n["rps"], [r["rps"] for r in p_runs], [r["rps"] for r in n_runs], u))
                print(f"{label:40s} probity {p['rps']:8.0f}/s p99 {p['p99_ms']:6.2f} ms | cache off {u['rps']:7.0f}/s "
                      f"p99 {u['p99_ms']:6.2f} ms | nginx {n['rps']:8.0f}/s p99 {n['p99_ms']:6.2f} ms | ratio "
                      f"{p['rps'] / n['rps']:.2f}  (errors {p['errors']}/{u['errors']}/{n['errors']})", flush=True)
        # What the old authenticator cost every anonymous request (a pooled connection and a session
        # lookup): the same as a request carrying a cookie that names no session.
        cookie = {"Cookie": "probity_session=not-a-session"}
        with_cookie = median_run([wrk(uncached.base + "/api/v1/register", a.duration, a.connections, headers=cookie)
                                  for _ in range(a.repeat)])
        auth_cost = (with_cookie, rows[0][7])
        print(f"cache off, JSON: no cookie {rows[0][7]['rps']:.0f}/s; unknown session cookie {with_cookie['rps']:.0f}/s",
              flush=True)
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
            r = wrk(probity.base + "/api/v1/my/interests", a.duration, conns, threads=threads, script=lua)
            decl.append((label, r))
            print(f"declarations, {label:22s} {r['rps']:8.0f}/s  mean {r['mean_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  "
                  f"non-201 {r['errors']}", flush=True)
        probity.stop()
        uncached.stop()

        # ---- Conflicts check, start-up and memory over growing registers ----
        conflicts = []
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
            check = median_run([wrk(url, max(2, a.duration // 2), 1, headers=auth) for _ in range(a.repeat)])
            # The same check built on every request: a server with the conflicts cache off.
            builder = Server(binary, db, workdir, {"conflicts_cache": False})
            servers.append(builder)
            built_url = f"{builder.base}/api/v1/meetings/{meeting}/conflicts"
            assert json.loads(get(built_url, auth)[2]) == doc
            built = median_run([wrk(built_url, max(2, a.duration // 2), 1, headers=auth) for _ in range(a.repeat)])
            builder.stop()
            status, _, _ = get(s.base + "/api/v1/register")
            t0 = time.monotonic()
            for _ in range(5):
                get(s.base + "/api/v1/register")
            reg_ms = (time.monotonic() - t0) / 5 * 1000
            peak = rss_kb(s.proc.pid, "VmHWM")
            conflicts.append({"interests": size, "import_s": import_s, "flags": flags, "check": check, "built": built,
                              "startup_s": statistics.median(starts), "peak_rss_mb": peak / 1024, "register_ms": reg_ms,
                              "db_mb": db.stat().st_size / 1e6})
            print(f"{size:7d} interests: import {import_s:6.1f} s, conflicts check built {built['mean_ms']:.2f} ms "
                  f"(p99 {built['p99_ms']:.2f}), cached {check['mean_ms']:.2f} ms (p99 {check['p99_ms']:.2f}), {flags} flags, start-up {statistics.median(starts) * 1000:.0f} ms, "
                  f"peak RSS {peak / 1024:.1f} MB, /api/v1/register {reg_ms:.1f} ms", flush=True)
            s.stop()
    finally:
        for s in servers:
            s.stop()
    elapsed = time.monotonic() - t_start
    print(f"bench finished in {elapsed:.0f} s")
    if a.output:
        write_report(Path(a.output), a, results["machine"], rows, decl, sync, conflicts, elapsed, auth_cost)
    shutil.rmtree(workdir, ignore_errors=True)


def write_report(path, a, m, rows, decl, sync, conflicts, elapsed, auth_cost):
    cmd = "make bench" if os.environ.get("PROBITY_BENCH_VIA_MAKE") else "python3 bench/run.py " + " ".join(sys.argv[1:])
    L = []
    L.append("# Benchmarks\n")
    L.append("Generated by `bench/run.py`; do not edit by hand (notes on tuning are kept in "
             "`docs/benchmarks-notes.md`).\n")
    L.append(f"- Command: `{cmd}` (wrk {a.duration} s per run, {a.connections} connections, 1 wrk thread, "
             f"median of {a.repeat} interleaved runs); took {elapsed:.0f} s")
    L.append(f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} memory, Linux {m['kernel']}, {m['nginx']}")
    L.append(f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; commit "
             f"{sh(['git', '-C', str(ROOT), 'rev-parse', '--short', 'HEAD']).strip()}")
    L.append("- Shared 2-core machine: wrk, the server and other people's work compete for the same cores, so "
             "figures move by 10-30% between runs. Probity and nginx runs are interleaved so both see the same load.")
    if a.note:
        L.append(f"- Note: {a.note}")
    L.append("\n## Public register, 1,000 people and 5,000 interests (page 1, 50 rows)\n")
    L.append("nginx-light, one worker, serves the identical response bytes as a static file (fetched from Probity once).\n")
    L.append("| request | Probity req/s | Probity p99 | nginx req/s | nginx p99 | **Probity / nginx** | Probity, cache off (before) | runs (Probity; nginx) |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for _, label, p, n, ratio, pr, nr, u in rows:
        L.append(f"| {label} | {p['rps']:,.0f} | {p['p99_ms']:.2f} ms | {n['rps']:,.0f} | {n['p99_ms']:.2f} ms | "
                 f"**{ratio:.2f}** | {u['rps']:,.0f} (p99 {u['p99_ms']:.2f} ms) | "
                 f"{', '.join(f'{x:,.0f}' for x in pr)}; {', '.join(f'{x:,.0f}' for x in nr)} |")
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
             "while the register is unchanged). "
             "Start-up: process start to the first `/healthz` answer (median of 3). Peak RSS: VmHWM after the checks "
             "and six `GET /api/v1/register`.\n")
    L.append("| interests | flags | check built, mean | built, p99 | check cached, mean | cached, p99 | start-up | peak RSS | `GET /api/v1/register` | import | database |")
    L.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for c in conflicts:
        L.append(f"| {c['interests']:,} | {c['flags']} | {c['built']['mean_ms']:.2f} ms | {c['built']['p99_ms']:.2f} ms | "
                 f"{c['check']['mean_ms']:.2f} ms | {c['check']['p99_ms']:.2f} ms | "
                 f"{c['startup_s'] * 1000:.0f} ms | {c['peak_rss_mb']:.1f} MB | {c['register_ms']:.1f} ms | "
                 f"{c['import_s']:.1f} s | {c['db_mb']:.0f} MB |")
    notes = path.parent / "benchmarks-notes.md"
    if notes.exists():
        L.append("\n" + notes.read_text())
    path.write_text("\n".join(L) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
