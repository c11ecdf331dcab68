using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ExtraditionCases.Application.Transparency;

/// <summary>An Ed25519 key as C2SP signed-note names it: its name, its 4-byte key id and the 32-byte public key.</summary>
public sealed record NoteKey(string Name, uint KeyId, byte[] PublicKey, byte Algorithm)
{
    /// <summary>The verifier key text (name+hex key id+base64 of algorithm byte and key), as golang.org/x/mod/sumdb/note writes it.</summary>
    public string VerifierKey => $"{Name}+{KeyId:x8}+{Convert.ToBase64String([Algorithm, .. PublicKey])}";
}

/// <summary>
/// The C2SP signed-note text format (c2sp.org/signed-note) with Ed25519 signatures, the C2SP
/// tlog-checkpoint body (c2sp.org/tlog-checkpoint) and tlog-cosignature/v1 witness cosignatures
/// (c2sp.org/tlog-cosignature). The curve arithmetic is not here: signing and verifying are handed in
/// (NSec in the service, a pure-Python RFC 8032 routine in tools/verify_history.py).
/// </summary>
public static class SignedNote
{
    public const byte Ed25519 = 0x01;
    public const byte CosignatureV1 = 0x04;
    private const string Dash = "\u2014 ";

    /// <summary>The key id: the first four bytes of SHA-256(name || "\n" || algorithm byte || public key), big-endian.</summary>
    public static uint KeyId(string name, byte algorithm, ReadOnlySpan<byte> publicKey)
    {
        var input = new byte[Encoding.UTF8.GetByteCount(name) + 2 + publicKey.Length];
        var n = Encoding.UTF8.GetBytes(name, input);
        input[n] = (byte)'\n';
        input[n + 1] = algorithm;
        publicKey.CopyTo(input.AsSpan(n + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    /// <summary>A key name is non-empty UTF-8 without spaces or '+' (the signed-note grammar).</summary>
    public static bool IsValidName(string name) =>
        name.Length > 0 && !name.Any(c => char.IsWhiteSpace(c) || c == '+' || char.IsControl(c));

    public static NoteKey KeyOf(string name, byte[] publicKey, byte algorithm = Ed25519) =>
        new(name, KeyId(name, algorithm, publicKey), publicKey, algorithm);

    /// <summary>Parses a verifier key "name+hash+base64(alg||key)", checking that the hash matches.</summary>
    public static NoteKey? ParseVerifierKey(string text)
    {
        // Base64 may hold '+'; names may not, so the key is whatever follows the second one.
        var parts = text.Trim().Split('+', 3);
        if (parts.Length != 3 || !IsValidName(parts[0]) || parts[1].Length != 8
            || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id)) return null;
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (raw.Length != 33 || raw[0] is not (Ed25519 or CosignatureV1)) return null;
        var key = KeyOf(parts[0], raw[1..], raw[0]);
        return key.KeyId == id ? key : null;
    }

    /// <summary>Parses a private key "PRIVATE+KEY+name+hash+base64(alg||seed)": the name, the algorithm, the id it claims and the 32-byte seed.</summary>
    public static (string Name, byte Algorithm, uint KeyId, byte[] Seed)? ParsePrivateKey(string text)
    {
        var parts = text.Trim().Split('+', 5);
        if (parts.Length != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" || !IsValidName(parts[2]) || parts[3].Length != 8
            || !uint.TryParse(parts[3], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id)) return null;
        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(parts[4]);
        }
        catch (FormatException)
        {
            return null;
        }

        return raw.Length == 33 && raw[0] is Ed25519 or CosignatureV1 ? (parts[2], raw[0], id, raw[1..]) : null;
    }

    public static string PrivateKeyText(string name, byte algorithm, uint keyId, byte[] seed) =>
        $"PRIVATE+KEY+{name}+{keyId:x8}+{Convert.ToBase64String([algorithm, .. seed])}";

    /// <summary>The signature line of a note signed by <paramref name="key"/>: "— name base64(keyid || signature)".</summary>
    public static string SignatureLine(NoteKey key, ReadOnlySpan<byte> signature)
    {
        var blob = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(blob, key.KeyId);
        signature.CopyTo(blob.AsSpan(4));
        return $"{Dash}{key.Name} {Convert.ToBase64String(blob)}\n";
    }

    /// <summary>Signs a note: its text (ending in a newline), a blank line, the signature line.</summary>
    public static string Sign(string text, NoteKey key, Func<byte[], byte[]> sign)
    {
        if (!text.EndsWith('\n')) throw new ArgumentException("A note's text ends with a newline.", nameof(text));
        return text + "\n" + SignatureLine(key, sign(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>A note split into its text and its signature lines; null when it is not a well-formed signed note.</summary>
    public static (string Text, IReadOnlyList<NoteSignature> Signatures)? Parse(string note)
    {
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !note.EndsWith('\n')) return null;
        var text = note[..(split + 1)];
        var signatures = new List<NoteSignature>();
        foreach (var line in note[(split + 2)..^1].Split('\n'))
        {
            if (!line.StartsWith(Dash, StringComparison.Ordinal)) return null;
            var parts = line[Dash.Length..].Split(' ');
            if (parts.Length != 2 || !IsValidName(parts[0])) return null;
            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(parts[1]);
            }
            catch (FormatException)
            {
                return null;
            }

            if (blob.Length < 5) return null;
            signatures.Add(new NoteSignature(parts[0], BinaryPrimitives.ReadUInt32BigEndian(blob), blob[4..], line + "\n"));
        }

        return (text, signatures);
    }

    /// <summary>Whether the note carries a valid Ed25519 signature of <paramref name="key"/> over its text.</summary>
    public static bool Verify(string note, NoteKey key, Func<byte[], byte[], byte[], bool> verify)
    {
        if (Parse(note) is not { } parsed) return false;
        var message = Encoding.UTF8.GetBytes(parsed.Text);
        return parsed.Signatures.Any(s => s.Name == key.Name && s.KeyId == key.KeyId && s.Signature.Length == 64
            && verify(key.PublicKey, message, s.Signature));
    }

    /// <summary>The tlog-checkpoint body: origin, tree size, base64 root hash, each on its own line.</summary>
    public static string CheckpointBody(string origin, long size, ReadOnlySpan<byte> root) =>
        $"{origin}\n{size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(root)}\n";

    public static (string Origin, long Size, byte[] Root)? ParseCheckpoint(string text)
    {
        var lines = text.Split('\n');
        if (lines.Length < 4 || lines[0].Length == 0 || !text.EndsWith('\n')
            || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)) return null;
        try
        {
            var root = Convert.FromBase64String(lines[2]);
            return root.Length == Merkle.HashSize ? (lines[0], size, root) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>What a witness signs (tlog-cosignature/v1): the header, the time in seconds since the epoch, the checkpoint body.</summary>
    public static byte[] CosignedMessage(string checkpointBody, ulong timestamp) =>
        Encoding.UTF8.GetBytes($"cosignature/v1\ntime {timestamp.ToString(CultureInfo.InvariantCulture)}\n{checkpointBody}");

    /// <summary>A witness's cosignature line: "— name base64(keyid || 8-byte big-endian time || signature)".</summary>
    public static string CosignatureLine(NoteKey witness, ulong timestamp, ReadOnlySpan<byte> signature)
    {
        var blob = new byte[4 + 8 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(blob, witness.KeyId);
        BinaryPrimitives.WriteUInt64BigEndian(blob.AsSpan(4), timestamp);
        signature.CopyTo(blob.AsSpan(12));
        return $"{Dash}{witness.Name} {Convert.ToBase64String(blob)}\n";
    }

    /// <summary>Checks a cosignature line by <paramref name="witness"/> over a checkpoint body; its time when valid.</summary>
    public static ulong? VerifyCosignature(string line, string checkpointBody, NoteKey witness, Func<byte[], byte[], byte[], bool> verify)
    {
        if (Parse("x\n\n" + (line.EndsWith('\n') ? line : line + "\n")) is not { Signatures: [var s] }) return null;
        if (s.Name != witness.Name || s.KeyId != witness.KeyId || s.Signature.Length != 8 + 64) return null;
        var time = BinaryPrimitives.ReadUInt64BigEndian(s.Signature);
        return verify(witness.PublicKey, CosignedMessage(checkpointBody, time), s.Signature[8..]) ? time : null;
    }
}

/// <summary>One signature line: who signed (name and key id), the signature bytes after the key id, the line itself.</summary>
public sealed record NoteSignature(string Name, uint KeyId, byte[] Signature, string Line);
