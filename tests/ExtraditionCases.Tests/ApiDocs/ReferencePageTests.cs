using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.ApiDocs;

/// <summary>
/// The interactive reference (Scalar, at /scalar/v1 when ApiDocs:EnableReference is on) stays on the machine:
/// its script is the package's own, it uses system fonts, and Scalar's hosted services (agent, MCP, developer
/// tools with Share / Generate SDK / Deploy, telemetry) are off. Checked in Debian's headless Chromium against
/// the service as its own process on 127.0.0.1, every request leaving 127.0.0.1 blocked and recorded
/// (tools/apidocs/reference-page.mjs): the page lists every operation of the document, asks nothing of any
/// other host, shows no hosted-service control, and its "try it" body for filing a case is the document's
/// example, which the service accepts with 201 when sent from the page with a token.
/// </summary>
[NonParallelizable]
public sealed class ReferencePageTests
{
    private static readonly string[] HostedControls = ["Ask AI", "Generate SDK", "Generate MCP", "Deploy", "Share", "Developer Tools", "Configure"];

    [Test]
    public async Task The_page_turns_off_fonts_agent_MCP_developer_tools_and_telemetry()
    {
        using var api = new ApiFactory(new() { ["ApiDocs:EnableReference"] = "true" });
        var page = await api.CreateClient().GetStringAsync("/scalar/v1");
        Assert.That(page, Does.Contain("\"withDefaultFonts\":false")
            .And.Contain("\"telemetry\":false")
            .And.Contain("\"showDeveloperTools\":\"never\"")
            .And.Contain("\"agent\":{\"disabled\":true}")
            .And.Contain("\"mcp\":{\"disabled\":true}")
            .And.Contain("<script src=\"scalar.js\">"), "the configuration the page hands to Scalar");
        Assert.That(page, Does.Not.Contain("https://"), "the page names no other host");
    }

    [Test]
    public async Task In_Chromium_the_page_lists_every_operation_stays_on_loopback_and_files_the_example_case()
    {
        ClientTools.RequireChromium();
        var folder = Path.Combine(Path.GetTempPath(), "extradition-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await using var service = await ServiceProcess.StartAsync(folder, Path.Combine(folder, "cases.db"),
                new Dictionary<string, string> { ["ApiDocs__EnableReference"] = "true" });
            var picture = Path.Combine(TestContext.CurrentContext.WorkDirectory, "reference-page.png");
            var (exit, output, error) = await ClientTools.NodeAsync("reference-page.mjs",
                new Uri(service.BaseAddress, "/scalar/v1").ToString(), Tokens.Officer("PK"), picture);
            Assert.That(exit, Is.Zero, output + error);

            var seen = JsonNode.Parse(output)!.AsObject();
            var document = JsonNode.Parse(await File.ReadAllTextAsync(OpenApiSnapshotTests.CommittedPath))!;
            var operations = document["paths"]!.AsObject()
                .SelectMany(path => path.Value!.AsObject().Select(operation => $"{operation.Key.ToUpperInvariant()} {(string)operation.Value!["summary"]!}"))
                .ToList();
            var listed = seen["listed"]!.AsArray()
                .Select(o => $"{((string)o!["method"]! is "DEL" ? "DELETE" : (string)o["method"]!)} {(string)o["summary"]!}")
                .ToList();
            var controls = seen["controls"]!.AsArray().Select(c => (string)c!).ToList();
            var example = document["paths"]!["/api/v1/cases"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]!;

            Assert.Multiple(() =>
            {
                Assert.That(seen["offMachine"]!.AsArray(), Is.Empty, "requests to hosts other than 127.0.0.1");
                Assert.That(seen["errors"]!.AsArray(), Is.Empty, "script errors in the page");
                Assert.That(listed, Is.EquivalentTo(operations), "every operation listed, once");
                foreach (var hosted in HostedControls)
                    Assert.That(controls.Where(c => c.Contains(hosted, StringComparison.Ordinal)), Is.Empty, $"no '{hosted}' control");
                Assert.That(JsonNode.DeepEquals(JsonNode.Parse((string)seen["body"]!), example), Is.True, $"the try-it body is the example: {seen["body"]}");
                Assert.That((int)seen["status"]!, Is.EqualTo(201), "the example, sent from the page, files a case");
            });
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // left for the OS
            }
        }
    }
}
