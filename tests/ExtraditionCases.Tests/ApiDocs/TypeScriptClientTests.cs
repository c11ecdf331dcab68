using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.ApiDocs;

/// <summary>
/// openapi-typescript generates types from docs/openapi.json and tsc checks the README flow written
/// with openapi-fetch (tools/apidocs/readme-flow.ts), including lines that must not compile
/// (@ts-expect-error: an unknown basis, a missing person, the wrong data for a trigger, limit as text).
/// </summary>
public sealed class TypeScriptClientTests
{
    [Test]
    public async Task The_README_flow_type_checks_against_the_committed_document()
    {
        ClientTools.RequireNodeTools();
        var (exit, output, error) = await ClientTools.NodeAsync("typecheck.mjs");
        Assert.That(exit, Is.Zero, output + error);
    }
}
