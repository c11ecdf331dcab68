using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.History;

public sealed record EventActor(string Subject, string Role, string? Agency, string? Country);

public sealed record EventSource(string? RequestId, string? ClientAddress);

/// <summary>
/// One recorded event, exactly as auditors see it. <see cref="Hash"/> chains it to the event
/// before: SHA-256 over prevHash, a newline and the RFC 8785 form of the event without its hash.
/// </summary>
public sealed record CaseEvent(
    int Sequence,
    string Type,
    string? Trigger,
    string? FromState,
    string? ToState,
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
            new EventActor(caller.Subject, caller.Role, caller.Agency, caller.Country),
            new EventSource(source.RequestId, source.ClientAddress),
            change.Note,
            data,
            prevHash,
            Hash: string.Empty);
        return unsigned with { Hash = unsigned.ComputeHash() };
    }

    public string ComputeHash()
    {
        var canonical = Jcs.Canonicalize(ToJson(includeHash: false));
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
