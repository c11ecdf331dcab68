#!/usr/bin/env python3
"""Charges each `perf script` sample to the innermost request-pipeline layer on its stack (leaf first) and prints
µs of CPU per request for ours and the baseline (native-profile.sh). Usage: native-layers.py OURS_STACKS OURS_CPU_US
BASELINE_STACKS BASELINE_CPU_US"""
import collections, re, sys

# Outermost first; a sample belongs to the last (innermost) of these found nearest its leaf.
LAYERS = [
    ("Kestrel (ProcessRequests, outside the middleware below)", "ProcessRequests"),
    ("correlation id middleware", "CorrelationIdMiddleware"),
    ("access-log middleware / LogAccessAsync", "AccessLogMiddleware|LogAccessAsync"),
    ("exception handler middleware", "ExceptionHandlerMiddleware"),
    ("status code pages middleware", "StatusCodePagesMiddleware"),
    ("authentication (bearer) middleware", "AuthenticationMiddleware|AuthenticationHandler|JwtBearer"),
    ("authorization middleware", "AuthorizationMiddleware|AuthorizationHandler|DefaultAuthorizationService|PolicyEvaluator"),
    ("endpoint: routing delegate, binding, result", "EndpointMiddleware|RequestDelegateFactory|lambda_method|Endpoint+<|BaselineApp+<StatusAsync|BaselineApp+<ChangesAsync|"
     "BaselineApp+<HistoryAsync|BaselineApp+<SearchAsync|BaselineApp+<CaseloadAsync|BaselineApp+<FileAsync|BaselineApp+<TransitionAsync"),
    ("MediatR + behaviors", "[MediatR]|Behaviors."),
    ("handler", "+Handler"),
    ("Dapper / Microsoft.Data.Sqlite / SQLite", "[Dapper]|Microsoft.Data.Sqlite|libe_sqlite3|SQLitePCL"),
    ("access-log writer (background)", "Infrastructure.Access.AccessLog+<|Infrastructure.Access.AccessLog::"),
]


def samples(path):
    comm, frames = None, []
    with open(path, errors="replace") as f:
        for line in f:
            if not line.strip():
                if comm is not None:
                    yield comm, frames
                comm, frames = None, []
            elif line[0] not in "\t ":
                comm, frames = re.sub(r"\s+\d+\s*$", "", line.rstrip()), []
            else:
                frames.append(line.strip())
    if comm is not None:
        yield comm, frames


def layer_of(comm, frames):
    for frame in frames:
        for name, pattern in reversed(LAYERS):
            if any(p in frame for p in pattern.split("|")):
                return name
    leaf = frames[0] if frames else ""
    if "Server GC" in comm or ".NET GC" in comm:
        return "GC threads"
    if "Sockets" in comm:
        return "socket engine thread"
    if "kallsyms" in leaf:
        return "other: kernel on pool threads (send/recv, futex, scheduling)"
    if "libcoreclr" in leaf:
        return "other: runtime (libcoreclr) on pool threads"
    return "other: thread pool, async resumption, libc, JIT code outside the layers"


def per_request(path, cpu):
    counts = collections.Counter(layer_of(c, f) for c, f in samples(path))
    total = sum(counts.values())
    return {k: v / total * cpu for k, v in counts.items()}


ours, base = per_request(sys.argv[1], float(sys.argv[2])), per_request(sys.argv[3], float(sys.argv[4]))
names = [n for n, _ in LAYERS] + sorted((set(ours) | set(base)) - {n for n, _ in LAYERS})
print("| Innermost layer of each sample, CPU µs per request | Ours | Baseline | Difference |")
print("|---|--:|--:|--:|")
for n in names:
    o, b = ours.get(n, 0.0), base.get(n, 0.0)
    print(f"| {n} | {o:.1f} | {b:.1f} | {o - b:+.1f} |")
print(f"| total | {sum(ours.values()):.1f} | {sum(base.values()):.1f} | {sum(ours.values()) - sum(base.values()):+.1f} |")
