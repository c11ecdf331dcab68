#!/usr/bin/env python3
"""Buckets a speedscope CPU-sampling export (dotnet-trace --format Speedscope) of the service.

Every sample is a managed stack. Samples of threads that are waiting (leaf frame is a wait or the
thread pool's idle spin) are left out, so the rest is CPU the service used. Each remaining sample
goes to one bucket (owners first, then the component nearest the leaf), so nothing is counted twice.
"""
import json, re, sys
from collections import Counter

# Owners: work a component starts and that runs below it (a background writer's SQLite calls, a token
# handler's crypto). A sample goes to the first owner with a frame anywhere in its stack.
OWNERS = [
    # Since the tenth round the writer's SQLite calls run on its own thread (SqliteWorkerThread), in a lambda of WriteAsync.
    ("Access-log writer (background: inserts, tree leaves, commit)", r"AccessLog\.(WriteLoopAsync|WriteAsync|StoreAsync)|AccessLog\+<(Write|Store)|AccessLogInsert|AccessLog\+<>c__DisplayClass\S*<WriteAsync>"),
    ("Other background services (checkpoints, webhooks, sweeps)", r"CheckpointPublisher|SqliteCheckpointer|WebhookDispatcher|DeadlineSweeper|Outbox"),
    ("Bearer: picking the scheme (token read once more for its iss)", r"UnvalidatedIssuer"),
    ("Bearer validation (JWT handler, keys, claims)", r"JwtBearerHandler|JsonWebTokenHandler|IdentityModel"),
    ("Authorization policies", r"DefaultAuthorizationService|PolicyEvaluator\.Authorize"),
    ("Stateless machine (Restore: build and configure)", r"ExtraditionCase\.(Restore|Configure|Add)\b|ExtraditionCase\.\.ctor|BoundMachine\.\.ctor"),
    ("Workflow fire / allowedActions (guards)", r"ExtraditionCase\.(Fire|AllowedActions)"),
    ("Event hash (JSON tree, JCS, SHA-256)", r"CaseEvent\.(Create|ComputeHash)|Jcs\."),
    ("History view (rows to events, JSON tree, writing)", r"GetHistory|HistoryJson|CaseEvent\.ToJson"),
]
# Components: a sample none of the owners claims goes to the component of the frame nearest its leaf.
BUCKETS = [
    ("SQLite / Dapper (statements, reader, connection)", r"Microsoft\.Data\.Sqlite|SQLitePCL|Dapper\.|DbConnection|DbCommand"),
    ("Response and body JSON (System.Text.Json)", r"System\.Text\.Json"),
    ("MediatR, behaviors, DI scope, validation", r"MediatR|Behavior|ServiceProvider|ServiceLookup|FluentValidation"),
    ("Logging, telemetry, metrics", r"Logging|Logger|System\.Diagnostics\.Activity|Diagnostics\.Metrics|OpenTelemetry"),
    ("Kestrel, HTTP/1.1, sockets, pipes, headers", r"Kestrel|System\.Net\.Sockets|System\.IO\.Pipelines|HttpProtocol|Http1|HeaderDictionary"),
    ("Routing, endpoint filters, middleware", r"Routing|EndpointMiddleware|EndpointFilter|RequestDelegateFactory|Middleware|AspNetCore"),
    ("Service code (handlers, stores, middleware of this service)", r"ExtraditionCases\."),
]
# Threads that only wait, and the tracing session's own work (manifest, counters): not the service's CPU.
WAIT = re.compile(r"WorkerThreadStart\(\)$|ManifestBuilder|CounterGroup|AggregationManager|SocketAsyncEngine\.EventLoop|FileSystemWatcher|Heartbeat|TimerQueue\.TimerThread|ConsoleLoggerProcessor|Task\.InternalWait|WaitHandle|Monitor\.Wait|LowLevelLifoSemaphore|SemaphoreSlim\.Wait(\b|Core|UntilCountOrTimeout)|GC\.RunFinalizers\(\)$|Thread\.Sleep|WaitForSocketEvents|epoll|ManualResetEventSlim\.Wait|SpinWait|Thread\.Join|PortableThreadPool.*(Wait|Gate)|LowLevelMonitor|WaitOne|GateThread")

TRACING = re.compile(r"ManifestBuilder|EventSource\.SendCommand|EventPipeEventProvider")

def real(names):
    """Method frames (module!method) and the exporter's leaf pseudo-frame; the process and thread frames at the root are dropped."""
    return [n for n in names[:-1] if "!" in n] + names[-1:]

def stacks(prof, frames):
    """(stack of frame names root first, time) pairs, from a sampled or an evented (open/close) profile."""
    if "samples" in prof:
        for stack, w in zip(prof["samples"], prof["weights"]):
            if stack: yield real([frames[i] for i in stack]), w
        return
    stack, last = [], None
    for e in prof["events"]:
        if last is not None and stack and e["at"] > last:
            yield real([frames[i] for i in stack]), e["at"] - last
        last = e["at"]
        if e["type"] == "O": stack.append(e["frame"])
        elif stack: stack.pop()

def main(path):
    doc = json.load(open(path))
    frames = [f["name"] for f in doc["shared"]["frames"]]
    owners = [(n, re.compile(p)) for n, p in OWNERS]
    compiled = [(n, re.compile(p)) for n, p in BUCKETS]
    total = Counter(); idle = 0.0; cpu = 0.0
    unmatched = Counter()
    for prof in doc["profiles"]:
        for names, w in stacks(prof, frames):
            # The exporter ends every stack with a pseudo-frame (CPU_TIME or UNMANAGED_CODE_TIME) below the real leaf.
            if any(WAIT.search(n) for n in names[-4:-1]) or any(TRACING.search(n) for n in names):
                idle += w; continue
            cpu += w
            bucket = next((n for n, rx in owners if any(rx.search(x) for x in names)), None)
            if bucket is None:
                bucket = next((n for x in reversed(names) for n, rx in compiled if rx.search(x)), None)
            if bucket is None:
                bucket = "other"
                unmatched[" <- ".join(n.split("!")[-1][:60] for n in reversed(names[-4:-1]))] += w
            total[bucket] += w
    print(f"CPU samples (ms of thread time, waits left out): {cpu:.0f}; waiting: {idle:.0f}")
    print("| Bucket | share of service CPU |\n|---|--:|")
    for n, _ in OWNERS + BUCKETS + [("other", None)]:
        if total[n]: print(f"| {n} | {100*total[n]/cpu:.1f}% |")
    print("\nTop leaf frames in 'other':")
    for name, w in unmatched.most_common(15): print(f"  {100*w/cpu:5.1f}%  {name}")

if __name__ == "__main__":
    main(sys.argv[1])
