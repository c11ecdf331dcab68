using System.Text;
using ExtraditionCases.Application.Transparency;
using ExtraditionCases.Infrastructure.Transparency;

namespace ExtraditionCases.Tests.Transparency;

/// <summary>
/// The C2SP signed-note format against the vectors of golang.org/x/mod/sumdb/note (its note_test.go): the
/// key texts, the key id, the exact signed note an Ed25519 key makes, and verification of another signer's line.
/// </summary>
public sealed class SignedNoteTests
{
    private const string PeterPrivate = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string PeterVerifier = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string EnochVerifier = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private const string Text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string PeterSignature = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private const string EnochSignature = "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    [Test]
    public void The_service_signs_exactly_as_the_reference_does()
    {
        var keys = new TransparencyKeys(new TransparencyOptions { SigningKey = PeterPrivate });
        Assert.Multiple(() =>
        {
            Assert.That(keys.LogKey!.VerifierKey, Is.EqualTo(PeterVerifier));
            Assert.That(keys.LogKey.KeyId, Is.EqualTo(0xc74f20a3u));
            Assert.That(keys.SignNote(Text), Is.EqualTo(Text + "\n" + PeterSignature));
        });
    }

    [Test]
    public void Notes_verify_by_name_and_key_id_and_tampering_is_refused()
    {
        var peter = SignedNote.ParseVerifierKey(PeterVerifier)!;
        var enoch = SignedNote.ParseVerifierKey(EnochVerifier)!;
        var note = Text + "\n" + PeterSignature + EnochSignature;
        Assert.Multiple(() =>
        {
            Assert.That(SignedNote.Verify(note, peter, TransparencyKeys.VerifyEd25519), Is.True);
            Assert.That(SignedNote.Verify(note, enoch, TransparencyKeys.VerifyEd25519), Is.True);
            Assert.That(SignedNote.Verify(note.Replace("problem,", "problem;", StringComparison.Ordinal), peter, TransparencyKeys.VerifyEd25519), Is.False);
            Assert.That(SignedNote.Verify(Text + "\n" + PeterSignature[..60] + "ABCD" + PeterSignature[60..], peter, TransparencyKeys.VerifyEd25519), Is.False);
            Assert.That(SignedNote.Verify(Text + "\n" + EnochSignature, peter, TransparencyKeys.VerifyEd25519), Is.False);
            // Malformed notes (from the reference's list): no blank line, an unterminated line, an unexpected line.
            Assert.That(SignedNote.Parse(Text), Is.Null);
            Assert.That(SignedNote.Parse(Text + "\n" + PeterSignature[..^1]), Is.Null);
            Assert.That(SignedNote.Parse(Text + "\n" + PeterSignature + "Unexpected line.\n"), Is.Null);
            // Manglings of the verifier key are refused: a changed character breaks the key id.
            Assert.That(SignedNote.ParseVerifierKey(PeterVerifier.Replace("c74f20a3", "c74f20a4", StringComparison.Ordinal)), Is.Null);
            Assert.That(SignedNote.ParseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"), Is.Null);
            Assert.That(SignedNote.ParseVerifierKey(PeterVerifier[1..]), Is.Null);
        });
    }

    [Test]
    public void A_malformed_or_mismatched_signing_key_stops_the_service_and_a_missing_one_is_reported()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<InvalidOperationException>(() => _ = new TransparencyKeys(new TransparencyOptions { SigningKey = "PRIVATE+KEY+x" }));
            Assert.Throws<InvalidOperationException>(() => _ = new TransparencyKeys(new TransparencyOptions { SigningKey = PeterPrivate.Replace("c74f20a3", "c74f20a4", StringComparison.Ordinal) }));
            var none = new TransparencyKeys(new TransparencyOptions());
            Assert.That(none.LogKey, Is.Null);
            Assert.That(none.Problem, Does.Contain("Transparency:SigningKey"));
        });
    }

    [Test]
    public void A_key_file_is_read_and_a_cosignature_verifies_over_the_checkpoint_body_only()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, PeterPrivate + "\n");
            var keys = new TransparencyKeys(new TransparencyOptions { SigningKeyFile = file });
            Assert.That(keys.LogKey!.VerifierKey, Is.EqualTo(PeterVerifier));
        }
        finally
        {
            File.Delete(file);
        }

        var (witnessPrivate, witness) = TransparencyKeys.Generate("witness.example", SignedNote.CosignatureV1);
        var body = SignedNote.CheckpointBody("example.test/log", 8, new byte[32]);
        var line = SignedNote.CosignatureLine(witness, 1_700_000_000, TransparencyKeys.SignWith(witnessPrivate, SignedNote.CosignedMessage(body, 1_700_000_000)));
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetString(SignedNote.CosignedMessage(body, 1_700_000_000)), Is.EqualTo("cosignature/v1\ntime 1700000000\nexample.test/log\n8\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"));
            Assert.That(witness.KeyId, Is.EqualTo(SignedNote.KeyId("witness.example", 0x04, witness.PublicKey)));
            Assert.That(SignedNote.VerifyCosignature(line, body, witness, TransparencyKeys.VerifyEd25519), Is.EqualTo(1_700_000_000UL));
            Assert.That(SignedNote.VerifyCosignature(line, body.Replace("\n8\n", "\n9\n", StringComparison.Ordinal), witness, TransparencyKeys.VerifyEd25519), Is.Null);
        });
    }
}
