using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace ExtraditionCases.Tests.Support;

/// <summary>Drives a case over HTTP, holding its latest ETag.</summary>
public sealed class CaseDriver(ApiFactory api, string id, string etag)
{
    public string Id { get; } = id;
    public string ETag { get; private set; } = etag;
    public JsonObject Last { get; private set; } = [];

    public static async Task<CaseDriver> FileAsync(ApiFactory api, JsonObject? body = null, string requesting = "PK")
    {
        var filed = await Cases.FileAsync(api.ClientFor(Tokens.Officer(requesting)), body);
        return new CaseDriver(api, (string)filed["id"]!, $"\"{(int)filed["version"]!}\"");
    }

    public Task<HttpResponseMessage> SendAsync(string country, string trigger, JsonObject? data = null, string? ifMatch = null,
        string? occurredAt = null, string? note = null)
    {
        var body = new JsonObject { ["trigger"] = trigger };
        if (data is not null) body["data"] = data;
        if (occurredAt is not null) body["occurredAt"] = occurredAt;
        if (note is not null) body["note"] = note;
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{Id}/transitions") { Content = Cases.Json(body) };
        if (ifMatch != "") request.Headers.TryAddWithoutValidation("If-Match", ifMatch ?? ETag);
        return api.ClientFor(Tokens.Officer(country)).SendAsync(request);
    }

    /// <summary>Remembers the ETag of a write sent by hand that succeeded.</summary>
    public void Keep(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode) ETag = response.Headers.ETag!.Tag;
    }

    /// <summary>Fires and insists on 200, then remembers the new ETag.</summary>
    public async Task<JsonObject> FireAsync(string country, string trigger, JsonObject? data = null, string? note = null)
    {
        var response = await SendAsync(country, trigger, data, note: note);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{trigger}: {text}");
        ETag = response.Headers.ETag!.Tag;
        Last = JsonNode.Parse(text)!.AsObject();
        return Last;
    }

    public async Task<HttpResponseMessage> PatchAsync(string country, JsonObject patch, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/cases/{Id}")
        {
            Content = Cases.Json(patch, "application/merge-patch+json"),
        };
        if (ifMatch != "") request.Headers.TryAddWithoutValidation("If-Match", ifMatch ?? ETag);
        var response = await api.ClientFor(Tokens.Officer(country)).SendAsync(request);
        if (response.IsSuccessStatusCode) ETag = response.Headers.ETag!.Tag;
        return response;
    }

    public async Task<HttpResponseMessage> ExtendAsync(string country, string kind, string dueAt, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{Id}/deadlines/{kind}/extensions")
        {
            Content = Cases.Json(new JsonObject { ["dueAt"] = dueAt, ["orderReference"] = "HC-ORDER-1" }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch ?? ETag);
        var response = await api.ClientFor(Tokens.Officer(country)).SendAsync(request);
        if (response.IsSuccessStatusCode) ETag = response.Headers.ETag!.Tag;
        return response;
    }

    public static MediaTypeHeaderValue Json => new("application/json");
}
