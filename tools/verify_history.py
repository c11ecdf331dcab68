#!/usr/bin/env python3
"""Verify an ExtraditionCases history export (NDJSON) without the service's code.

Usage: python3 tools/verify_history.py history.ndjson
Recomputes every event's hash: SHA-256 over prevHash, a newline, and the RFC 8785 (JCS) form of the
event without its "hash" member; checks each prevHash links to the previous hash (64 zeros first).
An event recorded before issuers were stored reads "actor": {"issuer": null, ...} and was hashed
without that member, so a null issuer is left out of the hashed form (a recorded issuer never is).
Python's sort_keys matches JCS here because every member name in our events is ASCII, and event
data holds no floating-point numbers.
"""
import hashlib
import json
import sys


def jcs(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def verify(lines):
    previous = "0" * 64
    count = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        event = json.loads(line)
        claimed = event.pop("hash")
        if isinstance(event.get("actor"), dict) and "issuer" in event["actor"] and event["actor"]["issuer"] is None:
            del event["actor"]["issuer"]
        if event["sequence"] != number or event["prevHash"] != previous:
            return False, count, number
        digest = hashlib.sha256((event["prevHash"] + "\n" + jcs(event)).encode("utf-8")).hexdigest()
        if digest != claimed:
            return False, count, number
        previous = claimed
        count += 1
    return True, count, previous


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as export:
        valid, events, where = verify(export.read().split("\n"))
    if valid:
        print(f"valid: {events} events, head {where}")
    else:
        print(f"INVALID at sequence {where}")
    sys.exit(0 if valid else 1)
