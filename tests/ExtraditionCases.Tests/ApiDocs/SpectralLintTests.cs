using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.ApiDocs;

/// <summary>
/// docs/openapi.json passes Spectral's OWASP API Security ruleset, but for the errors
/// tools/apidocs/spectral-ignore.json lists with a reason (at most 20 entries, none stale).
/// .ci/run runs the same lint as a step of its own.
/// </summary>
public sealed class SpectralLintTests
{
    [Test]
    public async Task The_committed_document_passes_the_OWASP_ruleset()
    {
        ClientTools.RequireNodeTools();
        var (exit, output, error) = await ClientTools.NodeAsync("lint.mjs");
        Assert.That(exit, Is.Zero, output + error);
        Assert.That(output, Does.Contain("0 not"));
    }
}
