using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Transparency;
using ExtraditionCases.Domain;
using ExtraditionCases.Domain.Deadlines;
using MediatR;

namespace ExtraditionCases.Application.Features.Audit;

/// <summary>
/// Every case verified as /history/verify verifies one (chain, replay against the row, inclusion in the
/// signed trees, feed), streamed as lines: progress as it goes, each case's first mismatch, and a summary
/// that names the first mismatch by case and sequence.
/// </summary>
public static class AuditVerify
{
    public const int Page = 200;
    public const int ProgressEvery = 100;

    public sealed record Query(Caller Caller) : IRequest<IAsyncEnumerable<JsonObject>>;

    public sealed class Handler(ICaseStore cases, IDatabaseSession session, ITransparencyKeys keys, DeadlineOptions deadlines)
        : IRequestHandler<Query, IAsyncEnumerable<JsonObject>>
    {
        public Task<IAsyncEnumerable<JsonObject>> Handle(Query request, CancellationToken cancellationToken)
        {
            if (!request.Caller.IsAuditor) throw new ForbiddenException("Only auditors verify every case.");
            return Task.FromResult(Lines(cancellationToken));
        }

        private async IAsyncEnumerable<JsonObject> Lines([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var total = await session.QuerySingleOrDefaultAsync<long>(CaseEvidence.Sql.CaseCount, null, cancellationToken);
            yield return new JsonObject { ["type"] = "progress", ["casesVerified"] = 0, ["casesTotal"] = total };
            var cache = new CaseEvidence.TreeCache();
            long verified = 0, events = 0, included = 0, pending = 0, mismatches = 0;
            Mismatch? first = null;
            DateTimeOffset? afterCreatedAt = null;
            Guid? afterId = null;
            while (true)
            {
                var page = await session.QueryAsync<CaseKey>(CaseEvidence.Sql.CasePage,
                    new { AfterCreatedAt = afterCreatedAt, AfterId = afterId, Limit = Page }, cancellationToken);
                foreach (var key in page)
                {
                    var result = await CaseEvidence.VerifyAsync(session, cases, keys, deadlines, key.Id, cache, cancellationToken);
                    verified++;
                    events += result.Events;
                    included += result.Included;
                    pending += result.Pending;
                    if (result.FirstMismatch is { } m)
                    {
                        mismatches++;
                        first ??= m;
                        yield return Line("mismatch", m);
                    }

                    if (verified % ProgressEvery == 0)
                        yield return new JsonObject { ["type"] = "progress", ["casesVerified"] = verified, ["casesTotal"] = total };
                }

                if (page.Count < Page) break;
                (afterCreatedAt, afterId) = (page[^1].CreatedAt, page[^1].Id);
            }

            // The access log: every row the access tree's signed checkpoint covers, unchanged and in place.
            var access = await TransparencyReads.LatestAsync(session, ExtraditionCases.Application.Transparency.Trees.Access, cancellationToken);
            string? accessFault = null;
            if (access is not null && !TransparencyReads.IsAuthentic(access, keys)) cache.ForgedCheckpoints.Add(ExtraditionCases.Application.Transparency.Trees.Access);
            else if (access is not null)
            {
                var leaves = new List<byte[]>();
                for (long from = 0; from < access.TreeSize && accessFault is null; from += 5000)
                {
                    foreach (var row in await session.QueryAsync<AccessLeaf>(CaseEvidence.Sql.AccessLeaves,
                                 new { From = from, To = Math.Min(access.TreeSize, from + 5000) }, cancellationToken))
                    {
                        if (row.LeafIndex != leaves.Count) { accessFault ??= $"the access tree has no leaf {leaves.Count}"; break; }
                        if (row.Id is null) accessFault ??= $"access log entry of leaf {row.LeafIndex} is gone";
                        else if (!row.MatchesLeaf()) accessFault ??= $"access log entry {row.Id} differs from its leaf {row.LeafIndex}";
                        leaves.Add(ExtraditionCases.Application.Transparency.Merkle.LeafHash(Convert.FromHexString(row.EntryHash.Trim())));
                    }
                }

                if (accessFault is null && (leaves.Count != access.TreeSize || !ExtraditionCases.Application.Transparency.Merkle.Root(leaves).AsSpan().SequenceEqual(access.RootHash)))
                    accessFault = $"the access tree's leaves do not make the signed root of size {access.TreeSize}";
                if (accessFault is not null) yield return new JsonObject { ["type"] = "accessLog", ["reason"] = accessFault };
            }

            foreach (var tree in cache.ForgedCheckpoints)
                yield return new JsonObject { ["type"] = "forgedCheckpoint", ["tree"] = tree, ["reason"] = "the latest stored checkpoint is not signed by the log key" };

            yield return new JsonObject
            {
                ["type"] = "summary",
                ["valid"] = mismatches == 0 && cache.ForgedCheckpoints.Count == 0 && accessFault is null,
                ["accessLogCheckpointed"] = access?.TreeSize ?? 0,
                ["casesVerified"] = verified,
                ["events"] = events,
                ["includedInCheckpoints"] = included,
                ["awaitingCheckpoint"] = pending,
                ["casesWithMismatches"] = mismatches,
                ["firstMismatch"] = first is null ? null : Line("mismatch", first),
                ["checkpoints"] = new JsonObject(cache.Checkpoints.Where(c => c.Value is not null).OrderBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value!.TreeSize))),
            };
        }

        private static JsonObject Line(string type, Mismatch m) => new()
        {
            ["type"] = type, ["caseId"] = m.CaseId.ToString(), ["sequence"] = m.Sequence, ["check"] = m.Check, ["reason"] = m.Reason,
        };
    }

    private sealed class AccessLeaf
    {
        public long LeafIndex { get; init; }
        public string EntryHash { get; init; } = "";
        public long? Id { get; init; }
        public DateTimeOffset At { get; init; }
        public string? Subject { get; init; }
        public string? Role { get; init; }
        public string? Country { get; init; }
        public Guid? CaseId { get; init; }
        public string Method { get; init; } = "";
        public string Endpoint { get; init; } = "";
        public int Status { get; init; }
        public string? TraceId { get; init; }
        public string? ClientAddress { get; init; }
        public int RequestCount { get; init; } = 1;
        public string? CaseIds { get; init; }
        public string? Issuer { get; init; }

        /// <summary>
        /// Whether the stored entry hashes to its leaf. Before issue 20's seventh round the writer stored an empty list of
        /// returned cases as NULL while the leaf hashed it as []: such a row also matches with the empty list (both say no
        /// case was returned), so the entries of pages that returned nothing stay verifiable.
        /// </summary>
        public bool MatchesLeaf()
        {
            var leaf = EntryHash.Trim();
            var entry = ToEntry();
            return ExtraditionCases.Application.Transparency.AccessEntryHash.Of(entry) == leaf
                || (CaseIds is null && ExtraditionCases.Application.Transparency.AccessEntryHash.Of(entry with { CaseIds = [] }) == leaf);
        }

        public AccessEntry ToEntry() => new(At, Subject, Role, Country?.Trim(), CaseId, Method, Endpoint, Status, TraceId, ClientAddress, RequestCount,
            CaseIds is null ? null : System.Text.Json.JsonSerializer.Deserialize<List<Guid>>(CaseIds), Issuer);
    }

    private sealed class CaseKey
    {
        public Guid Id { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }
}
