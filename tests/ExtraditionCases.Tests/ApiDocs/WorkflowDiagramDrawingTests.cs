using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExtraditionCases.Application.Features.Workflow;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.ApiDocs;

/// <summary>
/// The diagrams are drawn by their own tools (Graphviz' dot; Mermaid itself in Chromium): each parses
/// without error, draws every state exactly once and nothing but states, the composite and named
/// decisions, top to bottom and no wider than four times its height.
/// </summary>
public sealed partial class WorkflowDiagramDrawingTests
{
    private static readonly string[] States = Enum.GetNames<CaseState>();
    private static readonly string[] Decisions = ["DismissAppealOutcome", "AllowAppealOutcome"];

    [Test]
    public void Labels_carry_identifiers_only_and_every_edge_of_the_machine_is_drawn()
    {
        var drawing = WorkflowGraph.Build();
        var description = DescribeWorkflow.Describe();

        Assert.Multiple(() =>
        {
            foreach (var edge in drawing.Edges) Assert.That(edge.Label, Does.Match(@"^[A-Za-z]*( ?\[[A-Za-z]+(, [A-Za-z]+)*\])?$"), edge.ToString());
            Assert.That(drawing.Decisions, Is.EquivalentTo(Decisions));
            Assert.That(drawing.Edges.Count(e => e.From == WorkflowGraph.OpenState), Is.EqualTo(2), "Discharge and Withdraw, once each");
            Assert.That(drawing.Edges.Where(e => e.Trigger is "Discharge" or "Withdraw").Select(e => e.From), Has.All.EqualTo(WorkflowGraph.OpenState));
            // Every (from, trigger, to) of the machine's description is drawn, directly or through the open composite or a decision.
            foreach (var t in description.Transitions.Select(t => (From: t.From.ToString(), Trigger: t.Trigger.ToString(), To: t.To.ToString())))
            {
                var drawn = drawing.Edges.Any(e => e.Trigger == t.Trigger && e.To == t.To && (e.From == t.From || e.From == WorkflowGraph.OpenState))
                    || drawing.Edges.Any(e => e.Trigger == t.Trigger && e.From == t.From && drawing.Edges.Any(d => d.From == e.To && d.To == t.To));
                Assert.That(drawn, Is.True, $"{t.From} --{t.Trigger}--> {t.To}");
            }
        });
    }

    [Test]
    public async Task Graphviz_draws_the_dot_diagram_top_to_bottom_with_each_state_once()
    {
        ClientTools.RequireGraphviz();
        var dot = WorkflowGraph.Dot();

        var json = await ClientTools.RunAsync("dot", ["-Tjson"], input: dot);
        var svg = await ClientTools.RunAsync("dot", ["-Tsvg"], input: dot);
        Assert.That(json.ExitCode, Is.Zero, json.Error);
        Assert.That(svg.ExitCode, Is.Zero, svg.Error);
        Assert.That(json.Error + svg.Error, Is.Empty, "dot warns of nothing");

        var graph = JsonNode.Parse(json.Output)!.AsObject();
        var objects = graph["objects"]!.AsArray().Select(o => o!.AsObject()).ToList();
        var clusters = objects.Where(o => o["nodes"] is not null).Select(o => (string)o["name"]!).ToList();
        var nodes = objects.Where(o => o["nodes"] is null).ToList();
        var names = nodes.Select(n => (string)n["name"]!).ToList();
        var (width, height) = SvgSize(svg.Output);

        Assert.Multiple(() =>
        {
            Assert.That(clusters, Is.EqualTo(new[] { "cluster_Open" }));
            Assert.That(names, Is.Unique);
            Assert.That(names, Is.EquivalentTo(States.Concat(Decisions)), "states and decisions, nothing else");
            Assert.That(nodes.Where(n => Decisions.Contains((string)n["name"]!)).Select(n => (string?)n["shape"]), Has.All.EqualTo("diamond"));
            Assert.That(nodes.Where(n => Decisions.Contains((string)n["name"]!)).Select(n => (string?)n["label"]), Is.EquivalentTo(Decisions));
            Assert.That((string?)graph["rankdir"] ?? "TB", Is.EqualTo("TB"));
            Assert.That(width, Is.LessThanOrEqualTo(4 * height), $"{width} x {height}");
            Assert.That(svg.Output, Does.Contain("Discharge").And.Contain("[CaseFileComplete]"));
        });
    }

    [Test]
    public async Task Mermaid_parses_and_renders_the_diagram_with_each_state_once()
    {
        ClientTools.RequireChromium();
        var source = Path.Combine(Path.GetTempPath(), $"workflow-{Guid.NewGuid():N}.mmd");
        await File.WriteAllTextAsync(source, WorkflowGraph.Mermaid());
        try
        {
            var (exit, output, error) = await ClientTools.NodeAsync("render-mermaid.mjs", source);
            Assert.That(exit, Is.Zero, output + error);
            var rendered = JsonNode.Parse(output)!.AsObject();
            var states = rendered["states"]!.AsArray().Select(s => (string)s!).ToList();
            var clusters = rendered["clusters"]!.AsArray().Select(s => (string)s!).ToList();
            var width = (double)rendered["width"]!;
            var height = (double)rendered["height"]!;

            Assert.Multiple(() =>
            {
                Assert.That(states, Is.Unique);
                Assert.That(states, Is.EquivalentTo(States.Concat(Decisions)), "states and decisions, nothing else");
                Assert.That(clusters, Is.EqualTo(new[] { "Open" }));
                Assert.That(width, Is.LessThanOrEqualTo(4 * height), $"{width} x {height}");
                Assert.That((string?)rendered["text"], Does.Contain("Submit [CaseFileComplete]"), "the labels are drawn whole");
            });
        }
        finally
        {
            File.Delete(source);
        }
    }

    private static (double Width, double Height) SvgSize(string svg)
    {
        var match = SvgSizePattern().Match(svg);
        Assert.That(match.Success, Is.True, "the SVG states its size");
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex("<svg width=\"([0-9.]+)pt\" height=\"([0-9.]+)pt\"")]
    private static partial Regex SvgSizePattern();
}
