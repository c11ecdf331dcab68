using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
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

            foreach (var tree in cache.ForgedCheckpoints)
                yield return new JsonObject { ["type"] = "forgedCheckpoint", ["tree"] = tree, ["reason"] = "the latest stored checkpoint is not signed by the log key" };

            yield return new JsonObject
            {
                ["type"] = "summary",
                ["valid"] = mismatches == 0 && cache.ForgedCheckpoints.Count == 0,
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

    private sealed class CaseKey
    {
        public Guid Id { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }
}
