#!/usr/bin/env python3
"""The mail sender's throughput: `make bench-mail`, or `python3 bench/mail.py --bin build/release/probity`.

Writes --messages rows into the outbox of a fresh database (as enqueue_mail does), then times one
`probity mail send` pass delivering them all: through SMTP to a local aiosmtpd server
(tests/smtp_test_server.py, counting only), and to the embedded .eml spool. Prints messages per
second for each. Loopback only; every process started here is stopped here.
"""
import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fill_outbox(bin_path, db, n):
    subprocess.run([bin_path, "--database", db, "init"], check=True, capture_output=True)
    con = sqlite3.connect(db)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    text = "Dear member,\n\nPlease confirm your entries on the register of interests.\n" * 8
    html = "<p>Dear member,</p><p>Please confirm your entries on the register of interests.</p>" * 8
    con.executemany(
        "INSERT INTO outbox(kind, to_address, to_name, subject, text_body, html_body, reason, created_at, next_attempt_at) "
        "VALUES ('reminder', ?, ?, 'Your declaration is due', ?, ?, 'You are a committee member.', ?, ?)",
        [(f"member{i}@example.nhs.uk", f"Member {i}", text, html, now, now) for i in range(n)])
    con.commit()
    con.close()


def run_pass(bin_path, db, mail_section, workdir):
    config = os.path.join(workdir, "probity.json")
    with open(config, "w") as f:
        json.dump({"mail": mail_section}, f)
    start = time.monotonic()
    out = subprocess.run([bin_path, "--config", config, "--database", db, "mail", "send"], check=True,
                         capture_output=True, text=True).stdout.strip()
    return time.monotonic() - start, out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default=str(ROOT / "build/release/probity"))
    p.add_argument("--messages", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=20)
    args = p.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="probity-bench-mail-") as work:
        smtp_dir = os.path.join(work, "smtp")
        os.mkdir(smtp_dir)
        server = subprocess.Popen(["/usr/bin/python3", str(ROOT / "tests/smtp_test_server.py"), "--dir", smtp_dir, "--no-store"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            port = int(server.stdout.readline().split()[1])
            db = os.path.join(work, "smtp.db")
            fill_outbox(args.bin, db, args.messages)
            seconds, out = run_pass(args.bin, db, {"smtp_url": f"smtp://127.0.0.1:{port}", "starttls": "off",
                                                   "from_address": "probity@example.nhs.uk",
                                                   "batch_size": args.batch_size}, work)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=10)
        received = int(Path(smtp_dir, "count").read_text())
        if received != args.messages:
            sys.exit(f"the SMTP server received {received} messages, not {args.messages} ({out})")
        rows.append(("SMTP (libcurl → aiosmtpd, loopback)", seconds, out))

        db = os.path.join(work, "spool.db")
        fill_outbox(args.bin, db, args.messages)
        spool = os.path.join(work, "spool")
        seconds, out = run_pass(args.bin, db, {"spool_dir": spool, "batch_size": args.batch_size}, work)
        files = len([f for f in os.listdir(spool) if f.endswith(".eml")])
        if files != args.messages:
            sys.exit(f"the spool holds {files} files, not {args.messages} ({out})")
        rows.append((".eml spool (the embedded default)", seconds, out))

    print(f"Mail sender, {args.messages} messages, batch {args.batch_size}, one `probity mail send` pass ({args.bin}):")
    print(f"{'transport':40} {'seconds':>8} {'messages/s':>11}")
    for name, seconds, _ in rows:
        print(f"{name:40} {seconds:8.2f} {args.messages / seconds:11.0f}")


if __name__ == "__main__":
    main()
