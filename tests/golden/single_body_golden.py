#!/usr/bin/env python3
"""A single-body instance's public outputs are byte-identical to those of Probity before bodies.

Several bodies must leave an instance with one body looking and working exactly as
before: same pages, same CSV, same JSON apart from the fields bodies added. This script loads a
fixed small bundle (tests/golden/single_body/bundle.json, a copy of docs/bundle-format.md's example,
frozen here) into a fresh database, serves it with "today" pinned (2026-10-15), fetches every
public page, download and API document of that data set, and compares each with the golden copy
under tests/golden/single_body/out/:

  * HTML pages and CSV downloads: byte for byte;
  * JSON: after removing only the fields added since (documented in docs/api.md): "body" in each
    person summary, "bodies" in each committee, and the paging of a committee's combined register
    ("total", "page", "page_size", "page_count" beside its "members"); timestamps of when records
    were written (the import's clock) are replaced by a placeholder on both sides.

The goldens were written by the binary built from commit bfb0a5d, the last commit before bodies.
To regenerate them (only if a deliberate change to the public pages lands; say so in its commit):

  git archive bfb0a5d | tar -x -C build/golden-bfb0a5d      # the sources before bodies
  (cd build/golden-bfb0a5d && cmake --preset debug && cmake --build --preset debug --target probity)
  python3 tests/golden/single_body_golden.py build/golden-bfb0a5d/build/debug/probity --write

and then check with the current build:  python3 tests/golden/single_body_golden.py build/debug/probity
(ctest runs it as single_body_golden). A deliberate later change to a public page regenerates the
goldens with the current binary instead, after reviewing the diff this script prints.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(HERE, 'single_body')
OUT = os.path.join(DATA, 'out')
TODAY = '2026-10-15'

# Every public target of the data set: people 1..4 (4 is not a decision-maker: 404), the committee,
# entries 1 and 2 (2 withheld), the published meeting, gifts, filters, sorts and the downloads.
TARGETS = [
    '/', '/register', '/register?sort=organisation&order=desc', '/register?q=partner', '/register?committee=1',
    '/register?person_kind=gp', '/register?category=indirect', '/register?page=2&page_size=1',
    '/register.csv', '/register.csv?committee=1', '/register.atom', '/api/v1/register', '/api/v1/register?committee=1&page_size=1',
    '/api/v1/register/history/1', '/api/v1/register/history/2',
    '/people/1', '/people/2', '/people/3', '/people/4', '/api/v1/people/1', '/api/v1/people/2',
    '/committees', '/committees/1', '/api/v1/committees', '/api/v1/committees/1',
    '/gifts', '/gifts?kind=hospitality', '/gifts.csv', '/api/v1/gifts',
    '/meetings/1', '/api/v1/meetings/1', '/meetings/1/minutes', '/meetings/1/minutes.txt',
    '/breaches', '/api/v1/breaches', '/breaches.csv',
    '/register?committee=99', '/api/v1/register?committee=x',
]

TIMESTAMP = re.compile(rb'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z')


def file_name(target):
    name = re.sub(r'[^A-Za-z0-9._-]+', '_', target.strip('/')) or 'home'
    return name


def strip_new_fields(doc):
    """Removes the fields added since: a person summary's "body", a committee's "bodies", and the
    paging of one committee's combined register."""
    if isinstance(doc, list):
        return [strip_new_fields(x) for x in doc]
    if isinstance(doc, dict):
        out = {}
        for k, v in doc.items():
            if k == 'body' and 'positions' in doc:
                continue
            if k == 'bodies' and 'member_count' in doc:
                continue
            if k in ('total', 'page', 'page_size', 'page_count') and 'member_count' in doc and 'members' in doc:
                continue
            out[k] = strip_new_fields(v)
        return out
    return doc


def normalise(target, content_type, body):
    body = TIMESTAMP.sub(b'<recorded>', body)
    if content_type.startswith('application/json'):
        return (json.dumps(strip_new_fields(json.loads(body)), ensure_ascii=False, indent=1) + '\n').encode()
    return body


def fetch(base, target):
    try:
        with urllib.request.urlopen(base + target) as r:
            return r.status, r.headers.get('Content-Type', ''), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get('Content-Type', ''), e.read()


def main():
    if len(sys.argv) < 2:
        sys.exit('usage: single_body_golden.py PROBITY_BIN [--write]')
    binary = os.path.abspath(sys.argv[1])
    write = '--write' in sys.argv[2:]
    work = tempfile.mkdtemp(prefix='probity-golden-')
    try:
        with open(os.path.join(SOURCE, 'config/probity.json')) as f:
            config = json.load(f)
        config.update({'today': TODAY, 'base_url': 'https://register.example.nhs.uk', 'threads': 4})
        config_file = os.path.join(work, 'probity.json')
        with open(config_file, 'w') as f:
            json.dump(config, f)
        db = os.path.join(work, 'probity.db')
        base_cmd = [binary, '--config', config_file, '--database', db]
        subprocess.run(base_cmd + ['import', os.path.join(DATA, 'bundle.json')], cwd=SOURCE, check=True,
                       stdout=subprocess.DEVNULL)
        # A free port, then wait until the server answers (its stdout is block-buffered in a pipe).
        import socket
        import time
        with socket.socket() as sock:
            sock.bind(('127.0.0.1', 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen(base_cmd + ['serve', '--port', str(port)], cwd=SOURCE, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            base = 'http://127.0.0.1:%d' % port
            for _ in range(300):
                if server.poll() is not None:
                    sys.exit('probity exited before serving')
                try:
                    socket.create_connection(('127.0.0.1', port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            failures = []
            if write:
                shutil.rmtree(OUT, ignore_errors=True)
                os.makedirs(OUT)
            for target in TARGETS:
                status, content_type, body = fetch(base, target)
                got = ('%d %s\n' % (status, content_type.split(';')[0])).encode() + normalise(target, content_type, body)
                path = os.path.join(OUT, file_name(target))
                if write:
                    with open(path, 'wb') as f:
                        f.write(got)
                    continue
                with open(path, 'rb') as f:
                    want = f.read()
                if got != want:
                    failures.append(target)
                    import difflib
                    diff = difflib.unified_diff(want.decode(errors='replace').splitlines(), got.decode(errors='replace').splitlines(),
                                                'golden' + target, 'now' + target, lineterm='', n=1)
                    print('\n'.join(list(diff)[:40]))
        finally:
            server.terminate()
            server.wait()
        if write:
            print('wrote %d goldens to %s' % (len(TARGETS), OUT))
        elif failures:
            print('%d of %d targets differ from the single-body goldens: %s' % (len(failures), len(TARGETS), ', '.join(failures)))
            return 1
        else:
            print('all %d targets match the single-body goldens' % len(TARGETS))
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
