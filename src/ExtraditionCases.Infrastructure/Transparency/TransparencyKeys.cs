using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Transparency;
using NSec.Cryptography;

namespace ExtraditionCases.Infrastructure.Transparency;

/// <summary>
/// The log's Ed25519 key from configuration (Transparency:SigningKey) or a file (Transparency:SigningKeyFile),
/// never the database; the witnesses' public keys from Transparency:Witnesses. Ed25519 is libsodium's, through NSec.
/// </summary>
public sealed class TransparencyKeys : ITransparencyKeys, IDisposable
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key? _key;
    private readonly string _origin;

    public TransparencyKeys(TransparencyOptions options)
    {
        _origin = options.Origin.TrimEnd('/');
        Witnesses = [.. options.Witnesses.Select(w => SignedNote.ParseVerifierKey(w)
            ?? throw new InvalidOperationException($"Transparency:Witnesses has an entry that is not a verifier key (name+keyid+base64): '{w}'."))];

        var text = options.SigningKey;
        if (string.IsNullOrWhiteSpace(text) && !string.IsNullOrWhiteSpace(options.SigningKeyFile))
        {
            if (File.Exists(options.SigningKeyFile)) text = File.ReadAllText(options.SigningKeyFile);
            else Problem = $"Transparency:SigningKeyFile names a file that does not exist ({options.SigningKeyFile}).";
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            Problem ??= "No checkpoint signing key is configured (Transparency:SigningKey or Transparency:SigningKeyFile): no checkpoint is published.";
            return;
        }

        // A malformed key stops the service at start-up: signing with the wrong key would be worse than not signing.
        var parsed = SignedNote.ParsePrivateKey(text)
            ?? throw new InvalidOperationException("The checkpoint signing key is not a private key of the form PRIVATE+KEY+name+keyid+base64.");
        if (parsed.Algorithm != SignedNote.Ed25519) throw new InvalidOperationException("The checkpoint signing key is not an Ed25519 note key.");
        _key = Key.Import(Algorithm, parsed.Seed, KeyBlobFormat.RawPrivateKey);
        LogKey = SignedNote.KeyOf(parsed.Name, _key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        if (LogKey.KeyId != parsed.KeyId) throw new InvalidOperationException("The checkpoint signing key's key id does not match its name and public key.");
    }

    public NoteKey? LogKey { get; }

    public string? Problem { get; }

    public IReadOnlyList<NoteKey> Witnesses { get; }

    public string OriginOf(string tree) => $"{_origin}/{tree}";

    public string SignNote(string text)
    {
        if (_key is null || LogKey is null) throw new UnavailableException(Problem ?? "No signing key.");
        return SignedNote.Sign(text, LogKey, message => Algorithm.Sign(_key, message));
    }

    public bool Verify(byte[] publicKey, byte[] message, byte[] signature) => VerifyEd25519(publicKey, message, signature);

    public static bool VerifyEd25519(byte[] publicKey, byte[] message, byte[] signature) =>
        publicKey.Length == 32 && signature.Length == 64
        && PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out var key) && key is not null
        && Algorithm.Verify(key, message, signature);

    /// <summary>A new key as text (PRIVATE+KEY+name+keyid+base64), for operators and the witness tool.</summary>
    public static (string PrivateKey, NoteKey PublicKey) Generate(string name, byte algorithm = SignedNote.Ed25519)
    {
        using var key = Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var seed = key.Export(KeyBlobFormat.RawPrivateKey);
        var pub = SignedNote.KeyOf(name, key.PublicKey.Export(KeyBlobFormat.RawPublicKey), algorithm);
        return (SignedNote.PrivateKeyText(name, algorithm, pub.KeyId, seed), pub);
    }

    /// <summary>Signs raw bytes with a private key text (the witness's cosignatures).</summary>
    public static byte[] SignWith(string privateKey, byte[] message)
    {
        var parsed = SignedNote.ParsePrivateKey(privateKey) ?? throw new ArgumentException("Not a private key text.", nameof(privateKey));
        using var key = Key.Import(Algorithm, parsed.Seed, KeyBlobFormat.RawPrivateKey);
        return Algorithm.Sign(key, message);
    }

    public static NoteKey PublicKeyOf(string privateKey)
    {
        var parsed = SignedNote.ParsePrivateKey(privateKey) ?? throw new ArgumentException("Not a private key text.", nameof(privateKey));
        using var key = Key.Import(Algorithm, parsed.Seed, KeyBlobFormat.RawPrivateKey);
        return SignedNote.KeyOf(parsed.Name, key.PublicKey.Export(KeyBlobFormat.RawPublicKey), parsed.Algorithm);
    }

    public void Dispose() => _key?.Dispose();
}
