using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExtraditionCases.Tests.Support;

/// <summary>Request bodies and small HTTP helpers the tests share.</summary>
public static class Cases
{
    public const string UrduName = "محسن علی";
    public const string ArabicName = "عبد الله بن محمد";

    public static JsonObject NewCase(string requesting = "PK", string requested = "GB", string fullName = UrduName) => new()
    {
        ["requestingState"] = requesting,
        ["requestedState"] = requested,
        ["basis"] = "Treaty",
        ["category"] = "Accusation",
        ["receivedAt"] = "2026-08-01T09:30:00Z",
        ["person"] = new JsonObject
        {
            ["fullName"] = fullName,
            ["aliases"] = new JsonArray("Mohsin Ali"),
            ["dateOfBirth"] = "1980-02-29",
            ["nationality"] = requesting,
        },
        ["offences"] = new JsonArray(new JsonObject
        {
            ["description"] = "Money laundering",
            ["statute"] = "Anti-Money Laundering Act 2010 s.3",
            ["category"] = "MoneyLaundering",
            ["maxPenaltyMonths"] = 120,
            ["deathPenalty"] = false,
        }),
        ["warrant"] = new JsonObject
        {
            ["reference"] = "ATC-ISB-2026-17",
            ["issuedBy"] = "Anti-Terrorism Court Islamabad",
            ["issuedOn"] = "2026-01-15",
        },
    };

    public static StringContent Json(JsonNode body, string mediaType = "application/json") =>
        new(body.ToJsonString(), System.Text.Encoding.UTF8, mediaType);

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public static async Task<JsonObject> FileAsync(HttpClient officer, JsonObject? body = null)
    {
        var response = await officer.PostAsync("/api/v1/cases", Json(body ?? NewCase()));
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    public static JsonElement Parse(string text) => JsonDocument.Parse(text).RootElement;
}
