using System.Text.Json;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Json;

namespace ExtraditionCases.Api.Http;

/// <summary>Reads a JSON body with the contract's limits: 415 for other media types, 413 past 256 KiB, 400 naming the member.</summary>
public static class JsonBody
{
    public const int MaxBytes = 256 * 1024;

    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, params string[] mediaTypes) =>
        Parse<T>(await ReadBytesAsync(request, mediaTypes.Length == 0 ? ["application/json"] : mediaTypes, cancellationToken));

    /// <summary>Reads a JSON body and the request's Idempotency-Key, whose fingerprint covers these exact bytes.</summary>
    public static async Task<(T Body, Idempotency? Idempotency)> ReadIdempotentAsync<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytesAsync(request, ["application/json"], cancellationToken);
        return (Parse<T>(bytes), IdempotencyKeys.From(request, bytes));
    }

    public static T Parse<T>(byte[] bytes)
    {
        try
        {
            // The serializer only sees duplicates in members it binds; a JsonObject member (trigger data,
            // a merge patch) would carry them through. Reading the whole document first refuses them anywhere.
            using (JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = CaseJson.MaxDepth }))
            {
            }

            return JsonSerializer.Deserialize<T>(bytes, CaseJson.Options)
                ?? throw BadRequestException.For("$", "The body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw BadRequestException.For(ToMember(ex.Path), Describe(ex));
        }
    }

    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, IReadOnlyList<string> mediaTypes, CancellationToken cancellationToken)
    {
        // 413 before 415, as the contract orders them.
        if (request.ContentLength > MaxBytes) throw new PayloadTooLargeException();
        var mediaType = request.ContentType is { } ct ? ct.Split(';')[0].Trim() : null;
        if (mediaType is null || !mediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            throw new UnsupportedMediaTypeException($"The body must be {string.Join(" or ", mediaTypes)}.");

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes) throw new PayloadTooLargeException();
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string ToMember(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    /// <summary>Says what was wrong without echoing the client's text back.</summary>
    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        if (message.Contains("could not be mapped", StringComparison.OrdinalIgnoreCase)) return "Unknown member.";
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) || message.Contains("duplicate", StringComparison.Ordinal)) return "Duplicate member.";
        if (message.Contains("depth", StringComparison.OrdinalIgnoreCase)) return $"The JSON is nested deeper than {CaseJson.MaxDepth} levels.";
        if (message.Contains("could not be converted", StringComparison.OrdinalIgnoreCase)) return "Wrong type for this member.";
        return "Malformed JSON.";
    }
}

public sealed class UnsupportedMediaTypeException(string message) : BadHttpRequestException(message, StatusCodes.Status415UnsupportedMediaType);

public sealed class PayloadTooLargeException() : BadHttpRequestException($"The body is larger than {JsonBody.MaxBytes / 1024} KiB.", StatusCodes.Status413PayloadTooLarge);
