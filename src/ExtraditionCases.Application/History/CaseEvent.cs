using ExtraditionCases.Application.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.History;

/// <summary>
/// Who recorded an event: issuer + subject identify the caller. <see cref="Issuer"/> is null only for
/// events recorded before issuers were stored.
/// </summary>
public sealed record EventActor(string Subject, string Role, string? Agency, string? Country, string? Issuer);

public sealed record EventSource(string? RequestId, string? ClientAddress);

/// <summary>
/// One recorded event, exactly as auditors see it. <see cref="Hash"/> chains it to the event
/// before: SHA-256 over prevHash, a newline and the RFC 8785 form of the event without its hash.
/// </summary>
public sealed record CaseEvent(
    int Sequence,
    [property: OpenSet(typeof(CaseChange), nameof(CaseChange.KnownTypes))] string Type,
    [property: NamesOf(typeof(WorkflowTrigger))] string? Trigger,
    [property: NamesOf(typeof(CaseState))] string? FromState,
    [property: NamesOf(typeof(CaseState))] string? ToState,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    EventActor Actor,
    EventSource Source,
    string? Note,
    JsonObject Data,
    string PrevHash,
    string Hash)
{
    public static readonly string GenesisHash = new('0', 64);

    public static CaseEvent Create(
        CaseChange change, int sequence, DateTimeOffset recordedAt, Caller caller, RequestSource source, JsonObject data, string prevHash)
    {
        var unsigned = new CaseEvent(
            sequence,
            change.Type,
            change.Trigger?.ToString(),
            change.FromState?.ToString(),
            change.ToState?.ToString(),
            Instant.Truncate(change.OccurredAt),
            Instant.Truncate(recordedAt),
            new EventActor(caller.Subject, caller.Role, caller.Agency, caller.Country, caller.Issuer),
            new EventSource(source.RequestId, source.ClientAddress),
            change.Note,
            data,
            prevHash,
            Hash: string.Empty);
        return unsigned with { Hash = unsigned.ComputeHash() };
    }

    public string ComputeHash()
    {
        var hashed = ToJson(includeHash: false);
        // Events recorded before issuers were stored were hashed without the member; they read
        // `issuer: null`, which is left out again here so their stored hashes still verify. A new
        // event always has an issuer (every accepted token has one), so it is always hashed, and
        // setting or clearing an issuer afterwards breaks the chain either way.
        if (Actor.Issuer is null) hashed["actor"]!.AsObject().Remove("issuer");
        var canonical = Jcs.Canonicalize(hashed);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(PrevHash + "\n" + canonical));
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>The history member set of the contract, in a stable order; null where empty.</summary>
    public JsonObject ToJson(bool includeHash = true)
    {
        var json = new JsonObject
        {
            ["sequence"] = Sequence,
            ["type"] = Type,
            ["trigger"] = Trigger,
            ["fromState"] = FromState,
            ["toState"] = ToState,
            ["occurredAt"] = Instant.ToText(OccurredAt),
            ["recordedAt"] = Instant.ToText(RecordedAt),
            ["actor"] = new JsonObject
            {
                ["subject"] = Actor.Subject,
                ["issuer"] = Actor.Issuer,
                ["role"] = Actor.Role,
                ["agency"] = Actor.Agency,
                ["country"] = Actor.Country,
            },
            ["source"] = new JsonObject
            {
                ["requestId"] = Source.RequestId,
                ["clientAddress"] = Source.ClientAddress,
            },
            ["note"] = Note,
            ["data"] = Data.DeepClone(),
            ["prevHash"] = PrevHash,
        };
        if (includeHash) json["hash"] = Hash;
        return json;
    }
}
