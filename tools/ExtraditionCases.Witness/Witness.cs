using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Transparency;
using ExtraditionCases.Infrastructure.Transparency;

namespace ExtraditionCases.Witness;

/// <summary>What a witness run is given: its own key, the log's public key it pins, where it keeps what it saw.</summary>
/// <param name="WitnessKey">The witness's private key text (PRIVATE+KEY+name+keyid+base64, algorithm 0x04 for tlog-cosignature/v1).</param>
/// <param name="LogKey">The log's verifier key (name+keyid+base64), obtained out of band and pinned.</param>
/// <param name="StateDirectory">The witness's own storage: the checkpoint it kept and every entry it has seen, per tree.</param>
/// <param name="Tree">The tree to witness (default: the token's own).</param>
public sealed record WitnessOptions(string WitnessKey, string LogKey, string StateDirectory, string? Tree = null);

/// <summary>A run's outcome: what it found wrong (nothing kept or cosigned then), or the size it cosigned.</summary>
public sealed record WitnessReport(string Tree, long Size, bool Cosigned, IReadOnlyList<string> Alerts)
{
    public bool Consistent => Alerts.Count == 0;
}

/// <summary>
/// A partner state's witness. Each run: fetch the latest checkpoint of its tree and check the log's signature
/// with the pinned key; check it is consistent with the checkpoint it kept last (never smaller, same root at the
/// same size, a valid RFC 9162 consistency proof otherwise); walk the change feed from where it stopped and check
/// that each item is the next leaf of the tree and included; check again that every entry it saw before is
/// still there with the same hash and still provable (a case moved out of its view, an event rewritten);
/// then cosign (c2sp.org/tlog-cosignature), post the cosignature, and keep the new checkpoint and what it saw.
/// Anything wrong is an alert: nothing is cosigned or kept, and the run says what and where.
/// </summary>
public sealed class WitnessRun(HttpClient client, WitnessOptions options, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<WitnessReport> RunAsync(CancellationToken cancellationToken)
    {
        var alerts = new List<string>();
        var logKey = SignedNote.ParseVerifierKey(options.LogKey) ?? throw new ArgumentException("The log key is not a verifier key.");
        var witnessKey = TransparencyKeys.PublicKeyOf(options.WitnessKey);
        var query = options.Tree is null ? "" : $"?tree={Uri.EscapeDataString(options.Tree)}";

        var checkpoint = await client.GetFromJsonAsync<JsonObject>($"/api/v1/transparency/checkpoint{query}", cancellationToken)
            ?? throw new InvalidOperationException("No checkpoint.");
        var tree = (string)checkpoint["tree"]!;
        var note = (string)checkpoint["note"]!;
        var parsed = SignedNote.Parse(note);
        if (parsed is null || !SignedNote.Verify(note, logKey, TransparencyKeys.VerifyEd25519))
            return new WitnessReport(tree, 0, false, ["the checkpoint is not signed by the pinned log key"]);
        var body = SignedNote.ParseCheckpoint(parsed.Value.Text)!.Value;

        var statePath = Path.Combine(options.StateDirectory, $"{tree}.json");
        var kept = File.Exists(statePath) ? JsonSerializer.Deserialize<WitnessState>(await File.ReadAllTextAsync(statePath, cancellationToken), Json) : null;
        if (kept is not null)
        {
            var keptRoot = Convert.FromBase64String(kept.Root);
            if (kept.Origin != body.Origin) alerts.Add($"the origin changed from {kept.Origin} to {body.Origin}");
            else if (body.Size < kept.Size) alerts.Add($"the tree shrank: size {body.Size} after the kept {kept.Size} (a rollback)");
            else if (body.Size == kept.Size && !keptRoot.AsSpan().SequenceEqual(body.Root)) alerts.Add($"two roots for size {body.Size} (a fork)");
            else if (body.Size > kept.Size)
            {
                var proof = await client.GetFromJsonAsync<JsonObject>(
                    $"/api/v1/transparency/proof/consistency?tree={tree}&from={kept.Size}&to={body.Size}", cancellationToken);
                var path = proof!["proof"]!.AsArray().Select(p => Convert.FromBase64String((string)p!)).ToList();
                if (!Merkle.VerifyConsistency(kept.Size, body.Size, keptRoot, body.Root, path))
                    alerts.Add($"size {body.Size} is not an append-only extension of the kept size {kept.Size}");
            }
        }

        var state = kept ?? new WitnessState { Origin = body.Origin };
        if (alerts.Count == 0)
        {
            // What it saw before must still be there, unchanged and provable in the new tree.
            foreach (var seen in state.Seen.Where(s => s.LeafIndex < body.Size))
            {
                var problem = await CheckLeafAsync(tree, seen.CaseId, seen.Version, body.Size, body.Root, cancellationToken);
                if (problem is not null) alerts.Add($"case {seen.CaseId} version {seen.Version}: {problem}");
                else if (_lastEntry != seen.EntryHash || _lastIndex != seen.LeafIndex) alerts.Add($"case {seen.CaseId} version {seen.Version}: its leaf changed since it was seen");
            }

            await WalkFeedAsync(tree, state, body.Size, body.Root, alerts, cancellationToken);
        }

        if (alerts.Count > 0) return new WitnessReport(tree, body.Size, false, alerts);

        var time = (ulong)clock.GetUtcNow().ToUnixTimeSeconds();
        var line = SignedNote.CosignatureLine(witnessKey, time, TransparencyKeys.SignWith(options.WitnessKey, SignedNote.CosignedMessage(parsed.Value.Text, time)));
        var posted = await client.PostAsJsonAsync("/api/v1/transparency/cosignatures", new { tree, treeSize = body.Size, cosignature = line }, cancellationToken);
        posted.EnsureSuccessStatusCode();

        state.Size = body.Size;
        state.Root = Convert.ToBase64String(body.Root);
        state.Note = note;
        state.Cosignature = line;
        Directory.CreateDirectory(options.StateDirectory);
        await File.WriteAllTextAsync(statePath + ".tmp", JsonSerializer.Serialize(state, Json), cancellationToken);
        File.Move(statePath + ".tmp", statePath, overwrite: true);
        await File.AppendAllTextAsync(Path.Combine(options.StateDirectory, $"{tree}.log"), note + line + "\n", cancellationToken);
        return new WitnessReport(tree, body.Size, true, []);
    }

    private string? _lastEntry;
    private long _lastIndex;

    /// <summary>Null when the case's event is a leaf of the tree included under the root; otherwise what is wrong.</summary>
    private async Task<string?> CheckLeafAsync(string tree, string caseId, int version, long size, byte[] root, CancellationToken cancellationToken)
    {
        var response = await client.GetAsync(
            $"/api/v1/transparency/proof/inclusion?tree={tree}&caseId={caseId}&sequence={version}&treeSize={size}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return "the log no longer proves it (404): the case left this tree's view or its leaf is gone";
        response.EnsureSuccessStatusCode();
        var proof = (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!;
        _lastEntry = (string)proof["entryHash"]!;
        _lastIndex = (long)proof["leafIndex"]!;
        var path = proof["proof"]!.AsArray().Select(p => Convert.FromBase64String((string)p!)).ToList();
        return Merkle.VerifyInclusion(_lastIndex, size, Merkle.LeafHash(Convert.FromHexString(_lastEntry)), path, root)
            ? null
            : "its leaf is not included under the signed root";
    }

    /// <summary>The feed from the kept cursor: each item must be the tree's next leaf (feed position = leaf index + 1) and, once checkpointed, included.</summary>
    private async Task WalkFeedAsync(string tree, WitnessState state, long size, byte[] root, List<string> alerts, CancellationToken cancellationToken)
    {
        while (state.FeedCount < size)
        {
            var cursor = state.FeedCursor is null ? "" : $"&cursor={Uri.EscapeDataString(state.FeedCursor)}";
            var page = await client.GetFromJsonAsync<JsonObject>($"/api/v1/changes?limit=1000{cursor}", cancellationToken);
            var items = page!["items"]!.AsArray();
            foreach (var item in items)
            {
                if (state.FeedCount >= size) return;
                var caseId = (string)item!["caseId"]!;
                var version = (int)item["version"]!;
                var problem = await CheckLeafAsync(tree, caseId, version, size, root, cancellationToken);
                if (problem is not null)
                {
                    alerts.Add($"feed item {state.FeedCount + 1} (case {caseId} version {version}): {problem}");
                    return;
                }

                if (_lastIndex != state.FeedCount)
                {
                    alerts.Add($"the feed skips: item {state.FeedCount + 1} (case {caseId} version {version}) is leaf {_lastIndex}, not {state.FeedCount}: a feed row is missing");
                    return;
                }

                state.Seen.Add(new SeenEntry { CaseId = caseId, Version = version, LeafIndex = _lastIndex, EntryHash = _lastEntry! });
                state.FeedCount++;
            }

            var next = (string)page["nextCursor"]!;
            if (items.Count == 0 || next == state.FeedCursor)
            {
                if (state.FeedCount < size) alerts.Add($"the feed ends after {state.FeedCount} items but the signed tree has {size} leaves: feed rows are missing");
                return;
            }

            state.FeedCursor = next;
        }
    }

    /// <summary>What the witness keeps on its own side, per tree.</summary>
    public sealed class WitnessState
    {
        public string Origin { get; set; } = "";
        public long Size { get; set; }
        public string Root { get; set; } = "";
        public string Note { get; set; } = "";
        public string Cosignature { get; set; } = "";
        public string? FeedCursor { get; set; }
        public long FeedCount { get; set; }
        public List<SeenEntry> Seen { get; set; } = [];
    }

    public sealed class SeenEntry
    {
        public string CaseId { get; set; } = "";
        public int Version { get; set; }
        public long LeafIndex { get; set; }
        public string EntryHash { get; set; } = "";
    }

    internal static string Describe(WitnessReport report) => report.Consistent
        ? string.Create(CultureInfo.InvariantCulture, $"consistent: {report.Tree} at size {report.Size}, cosigned")
        : $"ALERT ({report.Tree}):\n  " + string.Join("\n  ", report.Alerts);
}
