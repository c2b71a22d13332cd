#!/usr/bin/env python3
"""Uncached public reads at 100,000 and 1,000,000 interests: `make bench-reads`, or
`python3 bench/reads.py --bin build/release/probity`.

For each size it generates a register with bench/gen_bundle.py (in a temporary directory, never
committed), imports it into a fresh database with the release build, starts `probity serve` with
the public cache off (`"public_cache": false`, so every request reads the database and builds its
answer), and times each request of the table below one at a time over one keep-alive connection:
the median and the 99th percentile of `--requests` answers, after a few to warm up. It also records
the server's start-up time (spawn to the first answer of /healthz, over `--starts` starts) and its
resident memory after the reads, prints a table and writes docs/benchmarks-reads.md.
"""
import argparse
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The requests of the table; each must answer 200.
ROWS = [
    "/api/v1/register",
    "/api/v1/register?q=Director",
    "/api/v1/register?q=zzz",
    "/api/v1/register?sort=declared&order=desc",
    "/api/v1/register?page=1999",
    "/register.csv?q=Director",
    "/people/5",
    "/api/v1/people/5",
    "/committees/1",
    "/gifts",
]

TARGETS = {100_000: (10.0, 25.0), 1_000_000: (20.0, None)}  # median, p99 (ms)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Server:
    """`probity serve` with the public cache off, on a free loopback port."""

    def __init__(self, binary, database, workdir):
        self.port = free_port()
        cfg = json.loads((ROOT / "config/probity.json").read_text())
        cfg.update({"host": "127.0.0.1", "port": self.port, "database": str(database), "public_cache": False,
                    "assets_dir": str(ROOT / "node_modules/nhsuk-frontend/dist/nhsuk"), "public_dir": str(ROOT / "public")})
        config = Path(workdir) / f"reads-{self.port}.json"
        config.write_text(json.dumps(cfg))
        t0 = time.monotonic()
        self.proc = subprocess.Popen([str(binary), "serve", "--config", str(config)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, cwd=ROOT)
        deadline = t0 + 600  # a database from before a migration is migrated first
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError("probity did not start")
            time.sleep(0.005)
        self.startup_s = time.monotonic() - t0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def time_row(port, path, requests, warmup=3):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times, size = [], 0
    for i in range(warmup + requests):
        t0 = time.perf_counter()
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        dt = (time.perf_counter() - t0) * 1000
        if r.status != 200:
            raise RuntimeError(f"{path}: {r.status} {body[:200]!r}")
        if i >= warmup:
            times.append(dt)
        size = len(body)
    c.close()
    times.sort()
    p99 = times[min(len(times) - 1, int(round(0.99 * (len(times) - 1))))]
    return {"path": path, "median_ms": statistics.median(times), "p99_ms": p99, "bytes": size, "n": len(times)}


def make_register(binary, workdir, interests, keep):
    bundle = Path(workdir) / f"register-{interests}.json"
    db = Path(workdir) / f"register-{interests}.db"
    if keep and db.exists():
        return db, None  # kept from an earlier run (--keep): its import was timed then
    subprocess.run([sys.executable, str(ROOT / "bench/gen_bundle.py"), "--interests", str(interests), "-o", str(bundle)],
                   check=True)
    t0 = time.monotonic()
    subprocess.run([str(binary), "--database", str(db), "import", str(bundle)], check=True, stdout=subprocess.DEVNULL)
    import_s = time.monotonic() - t0
    bundle.unlink()
    return db, import_s


def machine():
    load = os.getloadavg()
    return {"cpus": os.cpu_count(), "kernel": platform.release(), "load": f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(ROOT / "build/release/probity"))
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--report", default=str(ROOT / "docs/benchmarks-reads.md"))
    ap.add_argument("--workdir", help="generate the registers here (default: a temporary directory)")
    ap.add_argument("--keep", action="store_true",
                    help="keep each imported database in --workdir, and reuse one found there instead of generating and "
                         "importing it again (its import is then not timed): for measuring start-up and reads again")
    a = ap.parse_args()
    binary = Path(a.bin)
    sizes = [int(s) for s in a.sizes.split(",") if s]
    results = []
    failures = []
    m_before = machine()
    with tempfile.TemporaryDirectory(prefix="probity-reads-") as tmp:
        workdir = Path(a.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            kept = a.keep and a.workdir and (workdir / f"register-{size}.db").exists()
            print(f"{size:,} interests: " + ("reusing the kept database ..." if kept else "generating and importing ..."),
                  flush=True)
            db, import_s = make_register(binary, workdir, size, a.keep and a.workdir)
            starts = []
            for _ in range(a.starts):
                s = Server(binary, db, workdir)
                starts.append(s.startup_s)
                s.stop()
            server = Server(binary, db, workdir)
            try:
                rows = []
                for path in ROWS:
                    row = time_row(server.port, path, a.requests)
                    rows.append(row)
                    print(f"  {path:45s} median {row['median_ms']:8.2f} ms  p99 {row['p99_ms']:8.2f} ms  {row['bytes']:>9,} B",
                          flush=True)
                rss_mb = status(server.proc.pid, "VmRSS") / 1024
                peak_mb = status(server.proc.pid, "VmHWM") / 1024
            finally:
                server.stop()
            median_target, p99_target = TARGETS.get(size, (None, None))
            for row in rows:
                if median_target and row["median_ms"] > median_target:
                    failures.append(f"{size:,}: {row['path']} median {row['median_ms']:.1f} ms > {median_target} ms")
                if p99_target and row["p99_ms"] > p99_target:
                    failures.append(f"{size:,}: {row['path']} p99 {row['p99_ms']:.1f} ms > {p99_target} ms")
            startup_ms = statistics.median(starts) * 1000
            if size >= 1_000_000:
                if startup_ms > 1000:
                    failures.append(f"{size:,}: start-up {startup_ms:.0f} ms > 1000 ms")
                if rss_mb > 200:
                    failures.append(f"{size:,}: RSS {rss_mb:.0f} MB > 200 MB")
            db_mb = sum(p.stat().st_size for p in workdir.glob(db.name + "*")) / 1e6
            imported = "import not timed (kept database)" if import_s is None else f"import {import_s:.0f} s"
            print(f"  start-up {startup_ms:.0f} ms (median of {len(starts)}), RSS {rss_mb:.0f} MB (peak {peak_mb:.0f} MB), "
                  f"{imported}, database {db_mb:.0f} MB", flush=True)
            results.append({"size": size, "rows": rows, "startup_ms": startup_ms, "rss_mb": rss_mb, "peak_mb": peak_mb,
                            "import_s": import_s, "db_mb": db_mb})
            if not (a.keep and a.workdir):
                for p in workdir.glob(db.name + "*"):
                    p.unlink()
    m_after = machine()
    write_report(Path(a.report), a, results, failures, m_before, m_after)
    print("\n".join(["targets missed:"] + failures) if failures else "every target met")
    print(f"wrote {a.report}")


def write_report(path, a, results, failures, m_before, m_after):
    L = ["# Uncached public reads", "",
         "Written by `make bench-reads` (`bench/reads.py`); do not edit by hand. Each request is timed on its own over one "
         f"keep-alive connection against `probity serve` (binary: `{a.bin}`) with `\"public_cache\": false`, "
         f"so every answer is built from the database: the median and 99th percentile of {a.requests} requests after 3 to "
         "warm up. The registers are generated by `bench/gen_bundle.py` (five interests a person) and imported first.", "",
         f"Machine: {m_before['cpus']} cores, Linux {m_before['kernel']}; load average {m_before['load']} before and "
         f"{m_after['load']} after the run. The machine is shared (other builds and tests run on it at the same time), "
         "so these figures are upper bounds: the same binary on an idle machine is faster.", ""]
    sizes = [r["size"] for r in results]
    L.append("| request | " + " | ".join(f"{s:,}: median | {s:,}: p99" for s in sizes) + " | size at " + f"{sizes[-1]:,} |")
    L.append("| --- | " + " | ".join("---: | ---:" for _ in sizes) + " | ---: |")
    for i, request in enumerate(ROWS):
        cells = " | ".join(f"{r['rows'][i]['median_ms']:.1f} ms | {r['rows'][i]['p99_ms']:.1f} ms" for r in results)
        L.append(f"| `{request}` | {cells} | {results[-1]['rows'][i]['bytes']:,} B |")
    L.append("")
    L.append("| interests | start-up (median) | RSS after the reads | peak RSS | import | database |")
    L.append("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        L.append(f"| {r['size']:,} | {r['startup_ms']:.0f} ms | {r['rss_mb']:.0f} MB | {r['peak_mb']:.0f} MB | "
                 f"{'kept' if r['import_s'] is None else format(r['import_s'], '.0f') + ' s'} | {r['db_mb']:.0f} MB |")
    L.append("")
    L.append("Targets: every request under 10 ms at the median and 25 ms at p99 at 100,000 interests, under 20 ms at the "
             "median at 1,000,000; start-up under 1 s and RSS under 200 MB at 1,000,000.")
    L.append("")
    if failures:
        L.append("Missed in this run:")
        L.append("")
        L += [f"- {f}" for f in failures]
    else:
        L.append("Every target was met in this run.")
    L.append("")
    path.write_text("\n".join(L))


if __name__ == "__main__":
    main()
