using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.ApiDocs;

/// <summary>
/// docs/openapi.json is the document the service serves, committed so that client generators, the
/// lint and reviewers read it without running the service. This test fails when the copy is stale;
/// <c>UPDATE_OPENAPI=1 dotnet test --filter OpenApiSnapshotTests</c> rewrites it.
/// </summary>
public sealed class OpenApiSnapshotTests
{
    public static string CommittedPath => Path.Combine(Repository.Root, "docs", "openapi.json");

    /// <summary>The served document, indented, with \n line ends and a final newline.</summary>
    public static async Task<string> ServedAsync()
    {
        using var api = new ApiFactory();
        var text = await api.CreateClient().GetStringAsync("/openapi/v1.json");
        var indented = JsonNode.Parse(text)!.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        return indented.ReplaceLineEndings("\n") + "\n";
    }

    [Test]
    public async Task The_committed_document_is_the_one_the_service_serves()
    {
        var served = await ServedAsync();
        var committed = File.Exists(CommittedPath) ? (await File.ReadAllTextAsync(CommittedPath)).ReplaceLineEndings("\n") : "";
        if (committed != served && Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, served);
            committed = served;
        }

        Assert.That(committed, Is.EqualTo(served),
            "docs/openapi.json is stale: run UPDATE_OPENAPI=1 dotnet test --filter OpenApiSnapshotTests (or tools/apidocs/regenerate.sh)");
    }
}
