"""Parses a Prometheus text exposition (standard input) with prometheus_client's own parser and
prints what it read as JSON: every family with its type and help, and every sample. Exits 1
with the parser's message when the text is not valid exposition format.

Run with Debian's /usr/bin/python3 (python3-prometheus-client), as tests/server/http/metrics_test.cpp does.
"""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = sys.stdin.read()
    try:
        families = []
        for family in text_string_to_metric_families(text):
            families.append({
                "name": family.name,
                "type": family.type,
                "help": family.documentation,
                "samples": [{"name": s.name, "labels": dict(s.labels),
                             "value": None if math.isinf(s.value) or math.isnan(s.value) else s.value}
                            for s in family.samples],
            })
    except Exception as e:  # the parser raises ValueError (and others) on malformed lines
        print(f"not valid Prometheus text format: {e}", file=sys.stderr)
        return 1
    json.dump({"families": families}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
