using ExtraditionCases.Application.Features.Workflow;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Domain;

/// <summary>The README's diagram is generated from the machine; this test fails when the copy is stale.</summary>
public sealed class ReadmeDiagramTests
{
    private const string Start = "<!-- workflow-diagram:start (generated: UPDATE_README=1 dotnet test --filter ReadmeDiagramTests) -->";
    private const string End = "<!-- workflow-diagram:end -->";

    [Test]
    public void The_README_shows_the_current_workflow_diagram()
    {
        var path = Path.Combine(Repository.Root, "README.md");
        var readme = File.ReadAllText(path).ReplaceLineEndings("\n");
        var generated = $"{Start}\n```mermaid\n{DescribeWorkflow.Mermaid().ReplaceLineEndings("\n").TrimEnd()}\n```\n{End}";

        var start = readme.IndexOf(Start, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.That(start >= 0 && end > start, Is.True, "README.md lacks the workflow diagram markers");

        var current = readme[start..(end + End.Length)];
        if (current != generated && Environment.GetEnvironmentVariable("UPDATE_README") == "1")
        {
            File.WriteAllText(path, readme.Replace(current, generated, StringComparison.Ordinal));
            current = generated;
        }

        Assert.That(current, Is.EqualTo(generated), "The README's diagram is stale: run UPDATE_README=1 dotnet test --filter ReadmeDiagramTests");
    }
}
