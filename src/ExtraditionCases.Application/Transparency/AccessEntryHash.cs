using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Domain;

namespace ExtraditionCases.Application.Transparency;

/// <summary>An access log entry's leaf: SHA-256 of the RFC 8785 form of its members (ids as text, instants to the millisecond).</summary>
public static class AccessEntryHash
{
    public static string Of(AccessEntry e)
    {
        var json = new JsonObject
        {
            ["at"] = Instant.ToText(e.At),
            ["subject"] = e.Subject,
            // The caller is issuer + subject: a leaf that left the issuer out would let it be rewritten unseen.
            ["issuer"] = e.Issuer,
            ["role"] = e.Role,
            ["country"] = e.Country,
            ["caseId"] = e.CaseId?.ToString(),
            ["caseIds"] = e.CaseIds is null ? null : new JsonArray([.. e.CaseIds.Select(i => (JsonNode)i.ToString())]),
            ["method"] = e.Method,
            ["endpoint"] = e.Endpoint,
            ["status"] = e.Status,
            ["traceId"] = e.TraceId,
            ["clientAddress"] = e.ClientAddress,
            ["count"] = e.Count,
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Jcs.Canonicalize(json))));
    }
}
