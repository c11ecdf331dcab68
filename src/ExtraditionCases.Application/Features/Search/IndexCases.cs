using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Search;

/// <summary>
/// The start-up step after the migrations (and after the corrected rules) that indexes cases recorded
/// before the search index existed, or indexed under an older <see cref="SearchText.Version"/>: every
/// entry of the case is rewritten from its file and its transitions. Cases already current are not
/// touched, so running it again changes nothing. One transaction per batch.
/// </summary>
public sealed class IndexCases(IDatabaseSession session, ICaseStore store)
{
    public const int BatchSize = 200;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var indexed = 0;
        while (true)
        {
            await session.BeginBatchAsync(cancellationToken);
            try
            {
                var ids = await session.QueryAsync<Guid>(SearchIndex.Sql.Unindexed, new { IndexVersion = SearchText.Version, Limit = BatchSize }, cancellationToken);
                foreach (var id in ids)
                {
                    var loaded = (await store.FindAsync(id, cancellationToken))!;
                    var transitions = await session.QueryAsync<TransitionRow>(SearchIndex.Sql.Transitions, new { CaseId = id }, cancellationToken);
                    await session.ExecuteAsync(SearchIndex.Sql.DeleteAllTerms, new { CaseId = id }, cancellationToken);
                    await session.ExecuteAsync(SearchIndex.Sql.DeleteAllEntries, new { CaseId = id }, cancellationToken);
                    await SearchIndex.WriteAsync(session, loaded.Case,
                        transitions.Select(t => (t.Sequence, Domain.Workflow.CaseChange.Transitioned, t.Trigger, JsonNode.Parse(t.Data) as JsonObject ?? [])),
                        fileChanged: true, cancellationToken);
                    indexed++;
                }

                await session.CommitAsync(cancellationToken);
                if (ids.Count < BatchSize) return indexed;
            }
            catch
            {
                await session.RollbackAsync(cancellationToken);
                throw;
            }
        }
    }

    private sealed class TransitionRow
    {
        public int Sequence { get; init; }
        public string? Trigger { get; init; }
        public string Data { get; init; } = "{}";
    }
}
