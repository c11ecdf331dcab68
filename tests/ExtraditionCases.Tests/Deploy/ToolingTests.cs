using System.Text.Json;
using System.Xml.Linq;

namespace ExtraditionCases.Tests.Deploy;

/// <summary>The diagnostic tools operators are told to use are pinned, and the package versions move as one train.</summary>
public sealed class ToolingTests
{
    [TestCase("dotnet-counters")]
    [TestCase("dotnet-trace")]
    public void The_tool_manifest_pins_the_diagnostic_tool_to_an_exact_version(string tool)
    {
        using var manifest = JsonDocument.Parse(DeployFiles.Text(".config/dotnet-tools.json"));
        var entry = manifest.RootElement.GetProperty("tools").GetProperty(tool);

        Assert.Multiple(() =>
        {
            Assert.That(manifest.RootElement.GetProperty("isRoot").GetBoolean(), Is.True);
            Assert.That(entry.GetProperty("version").GetString(), Does.Match(@"^\d+\.\d+\.\d+$"), "an exact version, no range");
            Assert.That(entry.GetProperty("commands").EnumerateArray().Select(c => c.GetString()), Does.Contain(tool));
            Assert.That(entry.GetProperty("rollForward").GetBoolean(), Is.False);
        });
    }

    [Test]
    public void Every_aspnetcore_and_runtime_package_is_on_one_patch_of_the_10_0_train()
    {
        var versions = XDocument.Load(DeployFiles.PathOf("Directory.Packages.props")).Descendants("PackageVersion")
            .Select(p => (Name: (string)p.Attribute("Include")!, Version: (string)p.Attribute("Version")!))
            .Where(p => p.Name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
                || (p.Name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && !p.Name.EndsWith(".Testing", StringComparison.Ordinal))
                || p.Name == "Microsoft.Data.Sqlite")
            .ToList();

        Assert.That(versions, Is.Not.Empty);
        Assert.That(versions.Select(v => v.Version).Distinct(), Has.Exactly(1).Items.And.All.StartWith("10.0."), string.Join(", ", versions));
    }
}
