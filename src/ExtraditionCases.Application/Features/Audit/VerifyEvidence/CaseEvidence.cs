using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Transparency;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Application.Transparency;
using ExtraditionCases.Domain;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Features.Audit;

/// <summary>The first thing found wrong with a case: at which event, by which check, and why.</summary>
/// <param name="Check">chain (the hash chain and the case row's head), replay (the events replayed through the workflow against the case row), inclusion (each event in its trees and their signed checkpoints), feed (each event's change-feed rows).</param>
public sealed record Mismatch(Guid CaseId, int Sequence, string Check, string Reason);

/// <summary>What verifying one case found.</summary>
public sealed record CaseEvidenceResult(
    Guid CaseId, int Events, string Head, int? FirstInvalidChainSequence, Mismatch? FirstMismatch, int Included, int Pending);

/// <summary>
/// Evidence that holds against the database's administrators, for one case: the hash chain recomputed;
/// the events replayed through the domain (each event under the rules version it records; where the version
/// rises, the clocks recomputed as the start-up step did and checked against what the RulesApplied event there
/// records, or found unmoved where none does) and compared with the stored row (state, version, parties, case
/// file, facts, clocks, times);
/// every event a leaf of each of its trees, included in that tree's latest checkpoint the log key signed;
/// every event in the change feed of each of its audiences, at the leaf's position.
/// </summary>
public static partial class CaseEvidence
{
    private static readonly JsonSerializerOptions ExactNames = new(CaseJson.Options) { PropertyNameCaseInsensitive = false };

    /// <summary>Per request: checkpoints and nodes read once, however many cases are verified.</summary>
    public sealed class TreeCache
    {
        internal Dictionary<string, Checkpoint?> Checkpoints { get; } = [];
        internal Dictionary<string, Dictionary<Merkle.NodeId, byte[]?>> Nodes { get; } = [];

        /// <summary>Trees whose latest stored checkpoint the log key did not sign.</summary>
        public SortedSet<string> ForgedCheckpoints { get; } = new(StringComparer.Ordinal);
    }

    public static async Task<CaseEvidenceResult> VerifyAsync(
        IDatabaseSession session, ICaseStore store, ITransparencyKeys keys, DeadlineOptions deadlineOptions, Guid caseId, TreeCache cache,
        CancellationToken cancellationToken)
    {
        var events = await GetHistory.EventsAsync(session, caseId, cancellationToken);
        var mismatches = new List<Mismatch>();

        // 1. The chain, as /history/verify always did.
        var expectedPrev = CaseEvent.GenesisHash;
        int? chainBreak = null;
        for (var i = 0; i < events.Count && chainBreak is null; i++)
        {
            var e = events[i];
            if (e.Sequence != i + 1 || e.PrevHash != expectedPrev || e.ComputeHash() != e.Hash) chainBreak = e.Sequence;
            expectedPrev = e.Hash;
        }

        var row = await session.QuerySingleOrDefaultAsync<CaseRowView>(Sql.CaseRow, new { CaseId = caseId }, cancellationToken);
        if (chainBreak is null && row is not null && (row.Version != events.Count || (events.Count > 0 && row.HeadHash.Trim() != events[^1].Hash)))
            chainBreak = Math.Min(events.Count + 1, row.Version);
        if (chainBreak is { } broken) mismatches.Add(new Mismatch(caseId, broken, "chain", "the hash chain or the case row's head does not match the events"));

        // 2. The replay, each event under the rules version it records, compared with the row.
        var loaded = await store.FindAsync(caseId, cancellationToken);
        var versions = (await session.QueryAsync<EventVersion>(Sql.EventRulesVersions, new { CaseId = caseId }, cancellationToken))
            .ToDictionary(v => v.Sequence, v => v.RulesVersion);
        var replayed = Replay(caseId, row?.Reference ?? "", events, deadlineOptions, out var replayFault, s => versions.GetValueOrDefault(s, 1));
        if (replayFault is null && replayed is not null && row is not null && replayed.ReplayRowRules(row.RulesVersion) is { } rowRules)
            replayFault = new Mismatch(caseId, Math.Max(events.Count, 1), "replay", rowRules);
        if (replayFault is not null) mismatches.Add(replayFault);
        else if (replayed is not null && loaded is not null && row is not null)
        {
            var differences = Compare(loaded.Case, row, replayed);
            if (differences.Count > 0)
                // A row ahead of its events lacks the event that would explain it; otherwise the last event is where they part.
                mismatches.Add(new Mismatch(caseId, row.Version > events.Count ? events.Count + 1 : Math.Max(events.Count, 1), "replay", "the case row differs from its replayed history: " + string.Join("; ", differences)));
        }

        // 3. Inclusion in each tree the case's events belong to (by the parties its history names), and 4. the feed.
        var included = 0;
        var pending = 0;
        if (replayed is not null)
        {
            string[] audiences = [.. new[] { replayed.File.RequestingState, replayed.File.RequestedState, "**" }.Distinct().Order(StringComparer.Ordinal)];
            var feed = (await session.QueryAsync<FeedRow>(Sql.FeedRows, new { CaseId = caseId }, cancellationToken))
                .ToLookup(f => (f.Audience.Trim(), f.Version));
            foreach (var audience in audiences)
            {
                var tree = Trees.OfAudience(audience);
                var checkpoint = await CheckpointAsync(session, keys, tree, cache, cancellationToken);
                var leaves = (await TransparencyReads.LeavesOfCaseAsync(session, tree, caseId, cancellationToken)).ToDictionary(l => l.Sequence ?? 0);
                // Every audit path's nodes first, many to a statement (the paths of one case's leaves share their upper nodes).
                var nodes = await NodesAsync(session, tree, checkpoint is null ? [] : leaves.Values
                    .Where(l => l.LeafIndex < checkpoint.TreeSize)
                    .SelectMany(l => Merkle.InclusionRanges(l.LeafIndex, checkpoint.TreeSize)), cache, cancellationToken);
                var stored = new TransparencyReads.StoredRanges(nodes);
                foreach (var e in events)
                {
                    var hash = e.ComputeHash();
                    if (!leaves.TryGetValue(e.Sequence, out var leaf)) { mismatches.Add(new Mismatch(caseId, e.Sequence, "inclusion", $"no leaf in the {tree} tree")); continue; }
                    if (leaf.EntryHash.Trim() != hash) { mismatches.Add(new Mismatch(caseId, e.Sequence, "inclusion", $"the {tree} tree's leaf is not this event's hash")); continue; }
                    if (!feed[(audience, e.Sequence)].Any(f => f.Seq == leaf.LeafIndex + 1))
                        mismatches.Add(new Mismatch(caseId, e.Sequence, "feed", $"no change-feed row for the {audience} audience at the leaf's position"));
                    if (checkpoint is null || leaf.LeafIndex >= checkpoint.TreeSize) { pending++; continue; }
                    var proof = stored.Proof(Merkle.InclusionRanges(leaf.LeafIndex, checkpoint.TreeSize));
                    if (proof is null || !Merkle.VerifyInclusion(leaf.LeafIndex, checkpoint.TreeSize, Merkle.LeafHash(Convert.FromHexString(hash)), proof, checkpoint.RootHash))
                        mismatches.Add(new Mismatch(caseId, e.Sequence, "inclusion", $"not included in the {tree} tree's signed checkpoint of size {checkpoint.TreeSize}"));
                    else included++;
                }
            }
        }

        var first = mismatches.OrderBy(m => m.Sequence).FirstOrDefault();
        return new CaseEvidenceResult(caseId, events.Count, events.Count == 0 ? CaseEvent.GenesisHash : events[^1].Hash, chainBreak, first, included, pending);
    }

    /// <summary>The tree's latest checkpoint if the log key signed it; a forged latest row is remembered and never trusted.</summary>
    private static async Task<Checkpoint?> CheckpointAsync(IDatabaseSession session, ITransparencyKeys keys, string tree, TreeCache cache, CancellationToken cancellationToken)
    {
        if (cache.Checkpoints.TryGetValue(tree, out var known)) return known;
        var latest = await TransparencyReads.LatestAsync(session, tree, cancellationToken);
        if (latest is not null && !TransparencyReads.IsAuthentic(latest, keys))
        {
            cache.ForgedCheckpoints.Add(tree);
            latest = null;
        }

        return cache.Checkpoints[tree] = latest;
    }

    /// <summary>The tree's nodes read so far (for all the cases of one audit walk), with those of these ranges added, many to a statement.</summary>
    private static async Task<Dictionary<Merkle.NodeId, byte[]?>> NodesAsync(
        IDatabaseSession session, string tree, IEnumerable<(long Lo, long Hi)> ranges, TreeCache cache, CancellationToken cancellationToken)
    {
        if (!cache.Nodes.TryGetValue(tree, out var nodes)) cache.Nodes[tree] = nodes = [];
        await TransparencyReads.ReadNodesAsync(session, tree, ranges.Distinct().SelectMany(r => Merkle.NodesOf(r.Lo, r.Hi)), nodes, cancellationToken);
        return nodes;
    }

    /// <summary>
    /// The case as its events make it, each under the rules version <paramref name="rulesVersionOf"/> gives for its
    /// sequence (the current one when not given); null with the fault when an event cannot be replayed.
    /// </summary>
    public static ExtraditionCase? Replay(Guid caseId, string reference, IReadOnlyList<CaseEvent> events, DeadlineOptions deadlineOptions, out Mismatch? fault,
        Func<int, int>? rulesVersionOf = null)
    {
        rulesVersionOf ??= _ => ClockRules.Version;
        fault = null;
        if (events.Count == 0 || events[0].Type != CaseChange.CaseFiled)
        {
            fault = new Mismatch(caseId, 1, "replay", "the history does not start with CaseFiled");
            return null;
        }

        ExtraditionCase replayed;
        try
        {
            var filed = events[0].Data.Deserialize<CaseFile>(CaseJson.Options)!;
            replayed = ExtraditionCase.Replayed(caseId, reference, filed, events[0].OccurredAt, events[0].RecordedAt,
                deadlineOptions.RulesFor(filed.RequestingState, filed.RequestedState, rulesVersionOf(events[0].Sequence)));
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            fault = new Mismatch(caseId, 1, "replay", "the filed case cannot be read from CaseFiled");
            return null;
        }

        foreach (var e in events.Skip(1))
        {
            string? reason;
            try
            {
                var version = rulesVersionOf(e.Sequence);
                reason = e.Type == ExtraditionCase.RulesApplied && (int?)e.Data["rulesVersion"] != version
                    ? $"a RulesApplied event to rules version {e.Data["rulesVersion"]?.ToJsonString() ?? "none"} stored as made under version {version}"
                    : replayed.Replay(StepOf(e, replayed.File) with { RulesVersion = version });
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException or KeyNotFoundException or InvalidCastException or IndexOutOfRangeException)
            {
                reason = $"its data cannot be replayed ({ex.GetType().Name})";
            }

            if (reason is not null)
            {
                fault = new Mismatch(caseId, e.Sequence, "replay", reason);
                return null;
            }
        }

        return replayed;
    }

    private static ReplayStep StepOf(CaseEvent e, CaseFile current) => e.Type switch
    {
        CaseChange.Transitioned => new ReplayStep(e.Type, e.OccurredAt, e.RecordedAt,
            Enum.TryParse<WorkflowTrigger>(e.Trigger, out var trigger) ? trigger : null,
            Enum.TryParse<CaseState>(e.FromState, out var from) ? from : null,
            Enum.TryParse<CaseState>(e.ToState, out var to) ? to : null,
            e.Note,
            Enum.TryParse<WorkflowTrigger>(e.Trigger, out var t) ? TriggerDataReader.Read(t, e.Data, new Dictionary<string, string[]>()) : null),
        CaseChange.CaseUpdated => new ReplayStep(e.Type, e.OccurredAt, e.RecordedAt, Note: e.Note, File: Edited(current, e.Data["changes"]?.AsArray() ?? [])),
        CaseChange.DeadlineExtended => new ReplayStep(e.Type, e.OccurredAt, e.RecordedAt, Note: e.Note,
            ExtendedKind: Enum.TryParse<DeadlineKind>((string?)e.Data["kind"], out var kind) ? kind : null,
            ExtendedDueAt: Instants.TryParse((string?)e.Data["dueAt"], out var dueAt) ? dueAt : null),
        ExtraditionCase.RulesApplied => new ReplayStep(e.Type, e.OccurredAt, e.RecordedAt, Note: e.Note,
            UnconfirmedOffences: [.. (e.Data["unconfirmed"]?.AsArray() ?? []).Select(p => int.Parse(((string)p!).Split('/')[2], System.Globalization.CultureInfo.InvariantCulture))],
            Moved: [.. (e.Data["deadlines"]?.AsArray() ?? []).Select(d => new MovedDate(
                Enum.Parse<DeadlineKind>((string)d!["kind"]!), (string?)d["statute"] ?? "", DueAt(d["oldDueAt"]), DueAt(d["newDueAt"]), (string?)d["rule"] ?? "",
                Status(d["oldStatus"]), Status(d["newStatus"])))]),
        _ => new ReplayStep(e.Type, e.OccurredAt, e.RecordedAt, Note: e.Note),
    };

    private static DateTimeOffset? DueAt(JsonNode? value) =>
        value is null ? null : Instants.TryParse((string?)value, out var at) ? at : throw new FormatException("a RulesApplied dueAt is not an instant");

    private static DeadlineStatus? Status(JsonNode? value) => value is null ? null : Enum.Parse<DeadlineStatus>((string)value!);

    /// <summary>The case file after a CaseUpdated event: its RFC 6901 changes applied to the file as clients write it.</summary>
    private static CaseFile Edited(CaseFile current, JsonArray changes)
    {
        var root = JsonSerializer.SerializeToNode(CaseFileInput.From(current), ExactNames)!;
        var removed = new List<(JsonArray Array, int Index)>();
        foreach (var change in changes)
        {
            var tokens = ((string)change!["path"]!).Split('/').Skip(1)
                .Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
            var parent = root;
            foreach (var token in tokens[..^1])
                parent = parent is JsonArray a ? a[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)]! : parent[token]!;
            var value = change["new"]?.DeepClone();
            if (parent is JsonArray array)
            {
                var index = int.Parse(tokens[^1], System.Globalization.CultureInfo.InvariantCulture);
                if (value is null) removed.Add((array, index));
                else if (index == array.Count) array.Add(value);
                else array[index] = value;
            }
            else
            {
                parent.AsObject()[tokens[^1]] = value;
            }
        }

        // An item removed reads null on the new side; drop them from the end so the indexes stay right.
        foreach (var (array, index) in removed.OrderByDescending(r => r.Index)) array.RemoveAt(index);
        return root.Deserialize<CaseFileInput>(ExactNames)!.ToCaseFile();
    }

    private static List<string> Compare(ExtraditionCase stored, CaseRowView row, ExtraditionCase replayed)
    {
        var d = new List<string>();
        static string Ms(DateTimeOffset t) => Instant.ToText(t);
        void Check(string what, string storedValue, string replayValue)
        {
            if (storedValue != replayValue) d.Add($"{what} is {storedValue}, the events make it {replayValue}");
        }

        Check("state", stored.State.ToString(), replayed.State.ToString());
        Check("stateSince", Ms(stored.StateSince), Ms(replayed.StateSince));
        Check("version", row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), replayed.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Check("requestingState", row.RequestingState.Trim(), replayed.File.RequestingState);
        Check("requestedState", row.RequestedState.Trim(), replayed.File.RequestedState);
        Check("receivedAt", Ms(stored.ReceivedAt), Ms(replayed.ReceivedAt));
        Check("createdAt", Ms(stored.CreatedAt), Ms(replayed.CreatedAt));
        Check("updatedAt", Ms(stored.UpdatedAt), Ms(replayed.UpdatedAt));
        Check("the case file", JsonSerializer.Serialize(stored.File, CaseJson.Options), JsonSerializer.Serialize(replayed.File, CaseJson.Options));
        Check("the workflow facts", JsonSerializer.Serialize(stored.Facts, CaseJson.Options), JsonSerializer.Serialize(replayed.Facts, CaseJson.Options));
        // Every rules version's clocks are computed again (version 1's too), so the clocks are always compared.
        Check("the clocks", Clocks(stored), Clocks(replayed));
        return d;
    }

    private static string Clocks(ExtraditionCase c) => string.Join(" | ", c.Deadlines.Select(x =>
        $"{x.Ordinal} {x.Kind} {Instant.ToText(x.StartedAt)} {Instant.ToText(x.DueAt)} {x.Status} {x.Statute} {x.Advisory}"));

    public sealed class CaseRowView
    {
        public Guid Id { get; init; }
        public string Reference { get; init; } = "";
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public int Version { get; init; }
        public string HeadHash { get; init; } = "";
        public int RulesVersion { get; init; }
    }

    private sealed class EventVersion
    {
        public int Sequence { get; init; }
        public int RulesVersion { get; init; }
    }

    private sealed class FeedRow
    {
        public string Audience { get; init; } = "";
        public long Seq { get; init; }
        public int Version { get; init; }
    }
}
