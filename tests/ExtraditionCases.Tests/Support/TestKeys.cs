using ExtraditionCases.Infrastructure.Transparency;

namespace ExtraditionCases.Tests.Support;

/// <summary>The test host's checkpoint key and a witness's key, made once per test run (never stored anywhere).</summary>
public static class TestKeys
{
    public const string Origin = "extradition-cases.test/transparency";

    public static readonly (string PrivateKey, ExtraditionCases.Application.Transparency.NoteKey PublicKey) Log = TransparencyKeys.Generate("extradition-cases.test");

    public static readonly (string PrivateKey, ExtraditionCases.Application.Transparency.NoteKey PublicKey) Witness =
        TransparencyKeys.Generate("witness.gb.test", ExtraditionCases.Application.Transparency.SignedNote.CosignatureV1);
}
