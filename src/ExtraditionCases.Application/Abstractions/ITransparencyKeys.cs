using ExtraditionCases.Application.Transparency;

namespace ExtraditionCases.Application.Abstractions;

/// <summary>
/// The service's checkpoint key and the witnesses' keys, loaded from configuration or a file (never from
/// the database, whose administrators the signatures hold against), with Ed25519 done by a maintained library.
/// </summary>
public interface ITransparencyKeys
{
    /// <summary>The log's public key, or null when no signing key is configured (then no checkpoint is published).</summary>
    NoteKey? LogKey { get; }

    /// <summary>Why there is no key, for logs and health.</summary>
    string? Problem { get; }

    /// <summary>The checkpoint origin of a tree.</summary>
    string OriginOf(string tree);

    IReadOnlyList<NoteKey> Witnesses { get; }

    /// <summary>Signs a note's text with the log key (c2sp.org/signed-note).</summary>
    string SignNote(string text);

    bool Verify(byte[] publicKey, byte[] message, byte[] signature);
}
