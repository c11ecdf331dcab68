using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ExtraditionCases.Tests.Support;

/// <summary>Document uploads as clients send them: multipart/form-data, 'metadata' then 'file'.</summary>
public static class Documents
{
    public static byte[] Pdf(int size = 4096, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    public static readonly byte[] PngHeader = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    public static JsonObject Metadata(string kind = "Request", string title = "Request for extradition", string language = "en") => new()
    {
        ["kind"] = kind, ["title"] = title, ["language"] = language, ["receivedOn"] = "2026-08-01", ["receivedFrom"] = "Ministry of Interior",
    };

    public static MultipartFormDataContent Form(JsonObject metadata, byte[] bytes, string mediaType = "application/pdf", string fileName = "request.pdf")
    {
        var form = new MultipartFormDataContent();
        form.Add(new StringContent(metadata.ToJsonString(), Encoding.UTF8, "application/json"), "metadata");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        form.Add(file, "file", fileName);
        return form;
    }

    public static Task<HttpResponseMessage> UploadAsync(HttpClient client, string caseId, JsonObject metadata, byte[] bytes,
        string mediaType = "application/pdf", string fileName = "request.pdf") =>
        client.PostAsync($"/api/v1/cases/{caseId}/documents", Form(metadata, bytes, mediaType, fileName));

    public static async Task<JsonObject> AddAsync(HttpClient client, string caseId, JsonObject metadata, byte[]? bytes = null,
        string mediaType = "application/pdf", string fileName = "request.pdf")
    {
        var response = await UploadAsync(client, caseId, metadata, bytes ?? Pdf(), mediaType, fileName);
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return await response.ReadObjectAsync();
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
