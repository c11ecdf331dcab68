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
            .ToList();
        var runtime = versions
            .Where(p => p.Name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
                || (p.Name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) && !ExtensionsTrain(p.Name))
                || p.Name == "Microsoft.Data.Sqlite")
            .ToList();
        // dotnet/extensions ships on its own train (10.N.0): its packages agree with each other instead.
        var extensions = versions.Where(p => ExtensionsTrain(p.Name)).ToList();

        Assert.That(runtime, Is.Not.Empty);
        Assert.That(runtime.Select(v => v.Version).Distinct(), Has.Exactly(1).Items.And.All.StartWith("10.0."), string.Join(", ", runtime));
        Assert.That(extensions.Select(v => v.Version).Distinct(), Has.Exactly(1).Items.And.All.StartWith("10."), string.Join(", ", extensions));
    }

    private static bool ExtensionsTrain(string name) =>
        name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
        && (name.EndsWith(".Testing", StringComparison.Ordinal) || name.EndsWith(".Resilience", StringComparison.Ordinal));
}
