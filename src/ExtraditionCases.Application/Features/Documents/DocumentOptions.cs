namespace ExtraditionCases.Application.Features.Documents;

/// <summary>Configuration section <c>Documents</c>: upload limits, accepted media types, the per-stage checklist.</summary>
public sealed class DocumentOptions
{
    public const string SectionName = "Documents";

    /// <summary>The largest document accepted (413 above): 25 MiB unless configured.</summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>25 MiB: the size the API description states (a deployment may set another).</summary>
    public const int DefaultMaxBytes = 25 * 1024 * 1024;

    /// <summary>
    /// Media types accepted (415 otherwise), each checked against the file's own first bytes. Empty by default
    /// and read through <see cref="Accepted"/>: the configuration binder appends to a default list rather than replacing it.
    /// </summary>
    public string[] AllowedMediaTypes { get; set; } = [];

    public IReadOnlyList<string> Accepted => AllowedMediaTypes.Length > 0 ? AllowedMediaTypes : MediaTypes.Known;

    /// <summary>Makes each stage's missing documents a guard of its trigger (422 naming them). Off by default: the checklist advises.</summary>
    public bool EnforceChecklist { get; set; }

    /// <summary>
    /// Per requested state, per trigger, the documents expected. A state configured here uses its own rules
    /// (only the triggers it lists); any other state the configured GB rules, or the built-in GB defaults.
    /// </summary>
    public Dictionary<string, Dictionary<string, ChecklistItemOptions[]>> Checklists { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// A document's media type is read from its first bytes, never taken from the client: a file declared
/// as a PDF that does not start as one is refused (415).
/// </summary>
public static class MediaTypes
{
    public const string Pdf = "application/pdf";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Tiff = "image/tiff";
    public const string PlainText = "text/plain";

    /// <summary>How many leading bytes <see cref="Detect"/> reads.</summary>
    public const int SniffLength = 512;

    public static readonly IReadOnlyList<string> Known = [Pdf, Png, Jpeg, Tiff, PlainText];

    private static readonly (string MediaType, byte[] Magic)[] Signatures =
    [
        (Pdf, "%PDF-"u8.ToArray()),
        (Png, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        (Jpeg, [0xFF, 0xD8, 0xFF]),
        (Tiff, [0x49, 0x49, 0x2A, 0x00]),
        (Tiff, [0x4D, 0x4D, 0x00, 0x2A]),
    ];

    /// <summary>
    /// The media type the first bytes show, or null. Text is UTF-8 (a byte order mark allowed) without
    /// control characters other than tab, line and page breaks; <paramref name="truncated"/> says the head
    /// stops before the end of the file, so a character cut at its end is not held against it.
    /// </summary>
    public static string? Detect(ReadOnlySpan<byte> head, bool truncated)
    {
        foreach (var (mediaType, magic) in Signatures)
        {
            if (head.StartsWith(magic)) return mediaType;
        }

        return IsText(head, truncated) ? PlainText : null;
    }

    private static bool IsText(ReadOnlySpan<byte> head, bool truncated)
    {
        if (head.IsEmpty) return false;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) head = head[3..];
        while (!head.IsEmpty)
        {
            var status = System.Text.Rune.DecodeFromUtf8(head, out var rune, out var consumed);
            if (status == System.Buffers.OperationStatus.NeedMoreData) return truncated;
            if (status != System.Buffers.OperationStatus.Done) return false;
            if (System.Text.Rune.IsControl(rune) && rune.Value is not ('\t' or '\n' or '\r' or '\f')) return false;
            head = head[consumed..];
        }

        return true;
    }
}
