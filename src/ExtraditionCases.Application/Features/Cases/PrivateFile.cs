using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using FluentValidation;

namespace ExtraditionCases.Application.Features.Cases;

public sealed record AsylumClaimInput
{
    public string? LodgedOn { get; init; }
    public string? Reference { get; init; }
    public string? Status { get; init; }
    public string? Notes { get; init; }
}

public sealed record CounselInput
{
    public string? Name { get; init; }
    public string? Firm { get; init; }
    public string? ActingFor { get; init; }
}

public sealed record LegalAidInput
{
    public bool? Granted { get; init; }
    public string? Reference { get; init; }
    public string? GrantedOn { get; init; }
}

public enum AsylumClaimStatus { Pending, Granted, Refused, Withdrawn }

public enum CounselFor { Person, RequestingState, RequestedState }

/// <summary>
/// What stays with one state: the asylum claim and health notes of the person, counsel and legal aid.
/// Telling the requesting state of an asylum claim can endanger the person, so these members never
/// enter the shared case file or the shared chain in clear: each change is a row of the recording
/// state's own (PrivateEntries) and the shared CaseUpdated event carries only a salted SHA-256
/// commitment to it (<see cref="Commitments"/>). Erasing a row's salt and content leaves every chain valid.
/// </summary>
public static class PrivateFile
{
    public const string AsylumClaim = "/person/asylumClaim";
    public const string HealthNotes = "/person/healthNotes";
    public const string Counsel = "/counsel";
    public const string LegalAid = "/legalAid";

    public const int MaxHealthNotesLength = 4000;
    public const int MaxCounsel = 10;

    public static readonly IReadOnlyList<string> Members = [AsylumClaim, HealthNotes, Counsel, LegalAid];

    /// <summary>Counsel and legal aid belong to the requested state's process: its officers alone record them.</summary>
    public static readonly IReadOnlySet<string> RequestedStateOnly = new HashSet<string>(StringComparer.Ordinal) { Counsel, LegalAid };

    private static readonly JsonSerializerOptions ExactNames = new(CaseJson.Options) { PropertyNameCaseInsensitive = false };

    /// <summary>The private members a merge patch sends (JSON Pointer to value, null to remove), taken out of it.</summary>
    public static (JsonObject Shared, Dictionary<string, JsonNode?> Private) Split(JsonObject patch)
    {
        var shared = (JsonObject)patch.DeepClone();
        var taken = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (shared["person"] is JsonObject person)
        {
            foreach (var (member, name) in new[] { (AsylumClaim, "asylumClaim"), (HealthNotes, "healthNotes") })
            {
                if (!person.ContainsKey(name)) continue;
                taken[member] = person[name]?.DeepClone();
                person.Remove(name);
            }
        }

        foreach (var (member, name) in new[] { (Counsel, "counsel"), (LegalAid, "legalAid") })
        {
            if (!shared.ContainsKey(name)) continue;
            taken[member] = shared[name]?.DeepClone();
            shared.Remove(name);
        }

        return (shared, taken);
    }

    /// <summary>Each value as its member's type requires (400 naming the member otherwise).</summary>
    public static void Validate(IReadOnlyDictionary<string, JsonNode?> values, TimeProvider clock)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        bool PastDate(string? d) => d is null || (Instants.TryParseDate(d, out var on) && on <= today);
        void Fail(string member, string message) => failures.Add(new(member, message));

        foreach (var (member, value) in values)
        {
            if (value is null) continue;
            var name = member.TrimStart('/').Replace('/', '.');
            try
            {
                switch (member)
                {
                    case AsylumClaim:
                        var claim = value.Deserialize<AsylumClaimInput>(ExactNames)!;
                        if (!PastDate(claim.LodgedOn)) Fail($"{name}.lodgedOn", "Must be a date (yyyy-MM-dd) not in the future.");
                        if (claim.Status is not null && !Enum.TryParse<AsylumClaimStatus>(claim.Status, out _)) Fail($"{name}.status", "Unknown status.");
                        if (!Text.IsClean(claim.Reference) || claim.Reference?.Length > CaseFileInputValidator.MaxShortTextLength) Fail($"{name}.reference", "Too long or not clean text.");
                        if (!Text.IsCleanProse(claim.Notes) || claim.Notes?.Length > CaseFileInputValidator.MaxTextLength) Fail($"{name}.notes", "Too long or not clean text.");
                        break;
                    case HealthNotes:
                        var notes = value.GetValue<string>();
                        if (!Text.IsCleanProse(notes) || notes.Length > MaxHealthNotesLength) Fail(name, $"At most {MaxHealthNotesLength} characters of clean text.");
                        break;
                    case Counsel:
                        var counsel = value.Deserialize<List<CounselInput>>(ExactNames)!;
                        if (counsel.Count > MaxCounsel) Fail(name, $"At most {MaxCounsel} counsel.");
                        for (var i = 0; i < counsel.Count; i++)
                        {
                            if (string.IsNullOrWhiteSpace(counsel[i]?.Name) || !Text.IsClean(counsel[i].Name) || counsel[i].Name!.Length > CaseFileInputValidator.MaxNameLength)
                                Fail($"{name}[{i}].name", "A name of at most 300 characters of clean text.");
                            if (counsel[i]?.ActingFor is { } actingFor && !Enum.TryParse<CounselFor>(actingFor, out _)) Fail($"{name}[{i}].actingFor", "Unknown party.");
                            if (!Text.IsClean(counsel[i]?.Firm) || counsel[i]?.Firm?.Length > CaseFileInputValidator.MaxShortTextLength) Fail($"{name}[{i}].firm", "Too long or not clean text.");
                        }

                        break;
                    case LegalAid:
                        var aid = value.Deserialize<LegalAidInput>(ExactNames)!;
                        if (aid.Granted is null) Fail($"{name}.granted", "State whether legal aid was granted.");
                        if (!PastDate(aid.GrantedOn)) Fail($"{name}.grantedOn", "Must be a date (yyyy-MM-dd) not in the future.");
                        if (!Text.IsClean(aid.Reference) || aid.Reference?.Length > CaseFileInputValidator.MaxShortTextLength) Fail($"{name}.reference", "Too long or not clean text.");
                        break;
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                Fail(name, "Wrong type or unknown member.");
            }
        }

        if (failures.Count > 0) throw new ValidationException(failures);
    }

    /// <summary>One state's current private values of a case, by member (JSON Pointer); erased or removed members read null.</summary>
    public static async Task<IReadOnlyDictionary<string, JsonNode?>> CurrentAsync(
        IDatabaseSession session, Guid caseId, string? country, CancellationToken cancellationToken)
    {
        if (country is null) return new Dictionary<string, JsonNode?>();
        var rows = await session.QueryAsync<Entry>(Sql.Current, new { CaseId = caseId, Country = country }, cancellationToken);
        return rows.ToDictionary(r => r.Member, r => r.Content is null ? null : JsonNode.Parse(r.Content), StringComparer.Ordinal);
    }

    /// <summary>The view of one state's private values: only ever shown to that state's officers and auditors.</summary>
    public static JsonObject View(string country, IReadOnlyDictionary<string, JsonNode?> values) => new()
    {
        ["country"] = country,
        ["asylumClaim"] = values.GetValueOrDefault(AsylumClaim)?.DeepClone(),
        ["healthNotes"] = values.GetValueOrDefault(HealthNotes)?.DeepClone(),
        ["counsel"] = values.GetValueOrDefault(Counsel)?.DeepClone() ?? new JsonArray(),
        ["legalAid"] = values.GetValueOrDefault(LegalAid)?.DeepClone(),
    };

    /// <summary>What a commitment covers: the member and its value, so equal values of two members commit differently.</summary>
    public static JsonObject Committed(string member, JsonNode? value) => new() { ["member"] = member, ["value"] = value?.DeepClone() };

    /// <summary>An entry as stored (property-mapped).</summary>
    public sealed record Entry
    {
        public Guid CaseId { get; init; }
        public string Country { get; init; } = "";
        public int Sequence { get; init; }
        public string Member { get; init; } = "";
        public string? Salt { get; init; }
        public string? Content { get; init; }
        public string Commitment { get; init; } = "";
        public DateTimeOffset RecordedAt { get; init; }
        public DateTimeOffset? ErasedAt { get; init; }
    }

    public static class Sql
    {
        public static readonly SqlStatement Insert = new(
            Sqlite: "INSERT INTO PrivateEntries (CaseId, Country, Sequence, Member, Salt, Content, Commitment, RecordedAt) VALUES (@CaseId, @Country, @Sequence, @Member, @Salt, @Content, @Commitment, @RecordedAt)",
            SqlServer: "INSERT INTO dbo.PrivateEntries (CaseId, Country, Sequence, Member, Salt, Content, Commitment, RecordedAt) VALUES (@CaseId, @Country, @Sequence, @Member, @Salt, @Content, @Commitment, @RecordedAt);");

        /// <summary>The latest entry of each member of one state's private file.</summary>
        public static readonly SqlStatement Current = new(
            Sqlite: """
                SELECT p.CaseId, p.Country, p.Sequence, p.Member, p.Salt, p.Content, p.Commitment, p.RecordedAt, p.ErasedAt
                FROM PrivateEntries p
                WHERE p.CaseId = @CaseId AND p.Country = @Country
                  AND p.Sequence = (SELECT MAX(q.Sequence) FROM PrivateEntries q WHERE q.CaseId = p.CaseId AND q.Country = p.Country AND q.Member = p.Member)
                """,
            SqlServer: """
                SELECT p.CaseId, p.Country, p.Sequence, p.Member, p.Salt, p.Content, p.Commitment, p.RecordedAt, p.ErasedAt
                FROM dbo.PrivateEntries p
                WHERE p.CaseId = @CaseId AND p.Country = @Country
                  AND p.Sequence = (SELECT MAX(q.Sequence) FROM dbo.PrivateEntries q WHERE q.CaseId = p.CaseId AND q.Country = p.Country AND q.Member = p.Member);
                """);

        /// <summary>Every entry of one state's private file, oldest first (what verification and erasure read).</summary>
        public static readonly SqlStatement All = new(
            Sqlite: "SELECT CaseId, Country, Sequence, Member, Salt, Content, Commitment, RecordedAt, ErasedAt FROM PrivateEntries WHERE CaseId = @CaseId AND Country = @Country ORDER BY Sequence, Member",
            SqlServer: "SELECT CaseId, Country, Sequence, Member, Salt, Content, Commitment, RecordedAt, ErasedAt FROM dbo.PrivateEntries WHERE CaseId = @CaseId AND Country = @Country ORDER BY Sequence, Member;");

        /// <summary>Erasure under data-protection law: salt and content go, the commitment (and so every chain) stays.</summary>
        public static readonly SqlStatement Erase = new(
            Sqlite: "UPDATE PrivateEntries SET Salt = NULL, Content = NULL, ErasedAt = @ErasedAt WHERE CaseId = @CaseId AND Country = @Country AND Member = @Member AND ErasedAt IS NULL",
            SqlServer: "UPDATE dbo.PrivateEntries SET Salt = NULL, Content = NULL, ErasedAt = @ErasedAt WHERE CaseId = @CaseId AND Country = @Country AND Member = @Member AND ErasedAt IS NULL;");
    }

    /// <summary>Records the members that changed as new entries of the caller's state, and returns the commitments for the shared event.</summary>
    public static async Task<JsonArray> RecordAsync(
        IDatabaseSession session, Guid caseId, string country, int sequence, DateTimeOffset now,
        IReadOnlyDictionary<string, JsonNode?> current, IReadOnlyDictionary<string, JsonNode?> changes, CancellationToken cancellationToken)
    {
        var commitments = new JsonArray();
        foreach (var member in Members)
        {
            if (!changes.TryGetValue(member, out var value) || JsonNode.DeepEquals(current.GetValueOrDefault(member), value)) continue;
            var commitment = Commitments.Commit(Committed(member, value));
            await session.ExecuteAsync(Sql.Insert, new
            {
                CaseId = caseId, Country = country, Sequence = sequence, Member = member, commitment.Salt,
                Content = value?.ToJsonString(CaseJson.Options) ?? "null", Commitment = commitment.Value, RecordedAt = now,
            }, cancellationToken);
            commitments.Add(new JsonObject { ["country"] = country, ["commitment"] = commitment.Value });
        }

        return commitments;
    }
}
