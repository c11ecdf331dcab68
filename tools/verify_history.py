#!/usr/bin/env python3
"""Verify an ExtraditionCases history export without the service's code (Python 3 standard library only).

Usage:
  python3 tools/verify_history.py history.ndjson
  python3 tools/verify_history.py history.json --key 'name+keyid+base64'   # the key from GET /api/v1/transparency/key

The hash chain: every event's hash is SHA-256 over prevHash, a newline, and the RFC 8785 (JCS) form of the
event without its "hash" member; each prevHash links to the previous hash (64 zeros first). Python's
sort_keys matches JCS here because every member name in our events is ASCII, and event data holds no
floating-point numbers. An event recorded before issuers were stored reads "actor": {"issuer": null, ...}
and was hashed without that member, so a null issuer is left out of the hashed form (a recorded issuer
never is).

With a JSON history and the log's verifier key, also the evidence beside the events ("transparency"): the
checkpoint is a C2SP signed note whose Ed25519 signature by that key is checked (RFC 8032, the small
routine below, from the RFC's reference), and each event's RFC 9162 audit path must lead from
SHA-256(0x00 || its 32-byte hash) to the checkpoint's root.
"""
import base64
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


# --- Ed25519 verification, after RFC 8032 section 6 (reference implementation) ---
P = 2**255 - 19
Q = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a, b):
    x = (a[1] - a[0]) * (b[1] - b[0]) % P
    y = (a[1] + a[0]) * (b[1] + b[0]) % P
    c = 2 * a[3] * b[3] * D % P
    d = 2 * a[2] * b[2] % P
    e, f, g, h = y - x, d - c, d + c, y + x
    return (e * f, g * h, f * g, e * h)


def _mul(s, point):
    result = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            result = _add(result, point)
        point = _add(point, point)
        s >>= 1
    return result


def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _recover_x(y, sign):
    if y >= P:
        return None
    x2 = (y * y - 1) * pow(D * y * y + 1, P - 2, P)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


_GY = 4 * pow(5, P - 2, P) % P
_GX = _recover_x(_GY, 0)
G = (_GX, _GY, 1, _GX * _GY % P)


def _decompress(data):
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


def ed25519_verify(public, message, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= Q:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % Q
    return _equal(_mul(s, G), _add(r, _mul(h, a)))


# --- C2SP signed note and RFC 9162 inclusion ---
def parse_key(text):
    name, key_id, blob = text.strip().split("+", 2)
    raw = base64.b64decode(blob)
    if len(raw) != 33 or raw[0] != 1:
        raise ValueError("not an Ed25519 verifier key")
    computed = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if computed.hex() != key_id:
        raise ValueError("the key id does not match the key")
    return name, computed, raw[1:]


def verify_note(note, key):
    name, key_id, public = key
    split = note.rfind("\n\n")
    if split < 0 or not note.endswith("\n"):
        return None
    text = note[:split + 1]
    for line in note[split + 2:-1].split("\n"):
        if not line.startswith("\u2014 "):
            return None
        signer, blob = line[2:].split(" ", 1)
        raw = base64.b64decode(blob)
        if signer == name and raw[:4] == key_id and ed25519_verify(public, text.encode("utf-8"), raw[4:]):
            return text
    return None


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index, size, leaf, proof, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            if not fn & 1:
                while True:
                    fn >>= 1
                    sn >>= 1
                    if fn & 1 or fn == 0:
                        break
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_transparency(history, key_text):
    evidence = history.get("transparency")
    if not evidence or not evidence.get("checkpoint"):
        return False, "no signed checkpoint beside the events"
    text = verify_note(evidence["checkpoint"], parse_key(key_text))
    if text is None:
        return False, "INVALID checkpoint: not signed by the key"
    origin, size, root = text.split("\n")[:3]
    size, root = int(size), base64.b64decode(root)
    hashes = {e["sequence"]: e["hash"] for e in history["events"]}
    included = waiting = 0
    for leaf in evidence["leaves"]:
        if leaf["proof"] is None:
            waiting += 1
            continue
        entry = bytes.fromhex(hashes[leaf["sequence"]])
        proof = [base64.b64decode(p) for p in leaf["proof"]]
        if not verify_inclusion(leaf["leafIndex"], size, hashlib.sha256(b"\x00" + entry).digest(), proof, root):
            return False, f"INVALID inclusion at sequence {leaf['sequence']}"
        included += 1
    return True, f"checkpoint {origin} size {size} signed; {included} events included, {waiting} awaiting a checkpoint"


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as export:
        content = export.read()
    key = sys.argv[sys.argv.index("--key") + 1] if "--key" in sys.argv else None
    # A JSON history is one object with "events"; NDJSON is one event per line.
    try:
        history = json.loads(content)
    except json.JSONDecodeError:
        history = None
    if not isinstance(history, dict) or "events" not in history:
        history = None
    lines = [json.dumps(e, ensure_ascii=False) for e in history["events"]] if history else content.split("\n")
    valid, events, where = verify(lines)
    if not valid:
        print(f"INVALID at sequence {where}")
        sys.exit(1)
    message = f"valid: {events} events, head {where}"
    if history is not None and key is not None:
        ok, detail = verify_transparency(history, key)
        if not ok:
            print(detail)
            sys.exit(1)
        message += f"; {detail}"
    print(message)
    sys.exit(0)
