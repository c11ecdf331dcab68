using System.Security.Cryptography;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Documents;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ExtraditionCases.Api.Http;

/// <summary>
/// Reads a document upload: <c>multipart/form-data</c> with a <c>metadata</c> part (JSON, first) and a
/// <c>file</c> part (the bytes, with their media type and file name). The file is spooled to a temporary
/// file that deletes itself, hashed (SHA-256) and counted as it arrives, and its first bytes checked
/// against its declared media type: memory holds one chunk, never the document, and the database
/// transaction that stores it starts only once all of it has arrived.
/// </summary>
public sealed class Upload : IAsyncDisposable
{
    public const int MaxMetadataBytes = 16 * 1024;
    private const int ChunkBytes = 81920;

    private readonly FileStream _spool;

    private Upload(FileStream spool, byte[] metadata, UploadedFile file)
    {
        _spool = spool;
        Metadata = metadata;
        File = file;
    }

    public byte[] Metadata { get; }

    public UploadedFile File { get; }

    /// <summary>
    /// 413 past <see cref="DocumentOptions.MaxBytes"/>, 415 for a body that is not multipart/form-data or a
    /// file whose media type is not accepted or not what its first bytes show, 400 for parts missing or out of order.
    /// </summary>
    public static async Task<Upload> ReadAsync(HttpRequest request, DocumentOptions options, CancellationToken cancellationToken)
    {
        // The server-wide limit is the JSON bodies' 256 KiB; an upload may be as large as configured (plus its envelope).
        var envelope = options.MaxBytes + MaxMetadataBytes + 64 * 1024;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = envelope;
        if (request.ContentLength > envelope) throw TooLarge(options);

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
            throw new UnsupportedMediaTypeException("The body must be multipart/form-data with a boundary.");

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        var metadataSection = await NextAsync(reader, cancellationToken);
        if (NameOf(metadataSection) != "metadata") throw Missing("metadata", "The first part is 'metadata': the document's metadata as JSON.");
        var metadata = await ReadSmallAsync(metadataSection!.Body, cancellationToken);

        var fileSection = await NextAsync(reader, cancellationToken);
        if (NameOf(fileSection) != "file") throw Missing("file", "The second part is 'file': the document's bytes.");
        var declared = MediaTypeHeaderValue.TryParse(fileSection!.ContentType, out var type) ? type.MediaType.Value?.ToLowerInvariant() : null;
        if (declared is null || !options.Accepted.Contains(declared, StringComparer.OrdinalIgnoreCase))
            throw new MemberProblemException(StatusCodes.Status415UnsupportedMediaType, "file",
                $"The file's media type must be one of {string.Join(", ", options.Accepted)}.");
        var fileName = ContentDispositionHeaderValue.TryParse(fileSection.ContentDisposition, out var disposition)
            ? SafeFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value)
            : null;

        var spool = new FileStream(Path.Combine(Path.GetTempPath(), $"upload-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, ChunkBytes, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var (length, sha256, head) = await SpoolAsync(fileSection.Body, spool, options.MaxBytes, cancellationToken);
            var detected = MediaTypes.Detect(head, truncated: length > head.Length);
            if (length > 0 && !string.Equals(detected, declared, StringComparison.Ordinal))
                throw new MemberProblemException(StatusCodes.Status415UnsupportedMediaType, "file",
                    $"The file's first bytes are not those of {declared}.");
            if (await NextAsync(reader, cancellationToken) is not null) throw Missing("$", "An upload has two parts: 'metadata', then 'file'.");

            var file = new UploadedFile(declared, fileName, length, sha256, () => OpenSpooled(spool));
            return new Upload(spool, metadata, file);
        }
        catch
        {
            await spool.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _spool.DisposeAsync();

    /// <summary>A file name that is safe in a Content-Disposition header and on any file system: no path, no control or reserved characters.</summary>
    public static string? SafeFileName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        name = Path.GetFileName(name.Replace('\\', '/'));
        var invalid = Path.GetInvalidFileNameChars().Concat(['"', '<', '>', '|', ':', '*', '?', '/', '\\']).ToHashSet();
        var safe = new string([.. name.Where(c => !char.IsControl(c) && !invalid.Contains(c) && !(c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')))]).Trim().TrimStart('.');
        if (safe.Length > 200) safe = safe[..200];
        return safe.Length == 0 ? null : safe;
    }

    private static async Task<(long Length, string Sha256, byte[] Head)> SpoolAsync(Stream body, FileStream spool, long maxBytes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkBytes];
        var head = new byte[MediaTypes.SniffLength];
        var headLength = 0;
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            length += read;
            if (length > maxBytes) throw new MemberProblemException(StatusCodes.Status413PayloadTooLarge, "file", $"The file is larger than {maxBytes} bytes.");
            if (headLength < head.Length)
            {
                var take = Math.Min(read, head.Length - headLength);
                Array.Copy(buffer, 0, head, headLength, take);
                headLength += take;
            }

            hash.AppendData(buffer, 0, read);
            await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        await spool.FlushAsync(cancellationToken);
        return (length, Convert.ToHexStringLower(hash.GetHashAndReset()), head[..headLength]);
    }

    /// <summary>The spooled bytes from their start, through a stream that leaves the spool open (it is disposed with the upload).</summary>
    private static Stream OpenSpooled(FileStream spool)
    {
        spool.Position = 0;
        return new NonClosing(spool);
    }

    private static async Task<MultipartSection?> NextAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            throw Missing("$", "The multipart body is malformed.");
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Missing("$", "The multipart body is malformed.");
        }
    }

    private static string? NameOf(MultipartSection? section) =>
        section is not null && ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
            ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
            : null;

    private static async Task<byte[]> ReadSmallAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxMetadataBytes)
                throw new MemberProblemException(StatusCodes.Status413PayloadTooLarge, "metadata", $"The metadata is larger than {MaxMetadataBytes / 1024} KiB.");
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static MemberProblemException TooLarge(DocumentOptions options) =>
        new(StatusCodes.Status413PayloadTooLarge, "file", $"The file is larger than {options.MaxBytes} bytes.");

    private static BadRequestException Missing(string member, string message) => BadRequestException.For(member, message);

    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>A refusal about one member with its own status (413, 415): a problem whose errors name the member.</summary>
public sealed class MemberProblemException(int status, string member, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Member { get; } = member;
}
