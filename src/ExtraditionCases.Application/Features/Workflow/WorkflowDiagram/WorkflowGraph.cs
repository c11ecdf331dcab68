using System.Globalization;
using System.Text;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Features.Workflow;

/// <summary>
/// The workflow as a picture, drawn from the trigger definitions (not from Stateless' own graph
/// writers, whose labels carry the full guard text and break Mermaid at its first ';'). Labels hold
/// only identifiers: the trigger and its guards' short names; the full guard text is in
/// <c>GET /api/v1/workflow</c>. A trigger that every open state accepts (Discharge, Withdraw) is drawn
/// once, from the composite state <see cref="OpenState"/>; a trigger whose destination the case's facts
/// choose goes through a named decision node.
/// </summary>
public static class WorkflowGraph
{
    /// <summary>The composite of the states before surrender, none of them ended.</summary>
    public const string OpenState = "Open";

    public const string OpenLabel = "Open (before surrender)";

    public sealed record Edge(string From, string To, string Trigger, IReadOnlyList<string> Guards)
    {
        public string Label => Guards.Count == 0 ? Trigger : $"{Trigger} [{string.Join(", ", Guards)}]";
    }

    public sealed record Drawing(
        IReadOnlyList<CaseState> Inside, IReadOnlyList<CaseState> Outside, IReadOnlyList<string> Decisions, IReadOnlyList<Edge> Edges);

    public static string DecisionOf(WorkflowTrigger trigger) => $"{trigger}Outcome";

    public static Drawing Build()
    {
        var open = CaseStates.BeforeSurrender;
        var edges = new List<Edge>();
        var decisions = new List<string>();
        foreach (var definition in ExtraditionCase.TriggerDefinitions)
        {
            var trigger = definition.Trigger.ToString();
            foreach (var transition in definition.Transitions)
            {
                var guards = transition.Guards.Select(g => g.Name).ToList();
                if (transition.From.Count == open.Count && !open.Except(transition.From).Any() && transition.To is { } fromAll)
                {
                    edges.Add(new Edge(OpenState, fromAll.ToString(), trigger, guards));
                    continue;
                }

                foreach (var from in transition.From)
                {
                    if (transition.Destination is not null)
                    {
                        var decision = DecisionOf(definition.Trigger);
                        if (!decisions.Contains(decision)) decisions.Add(decision);
                        edges.Add(new Edge(from.ToString(), decision, trigger, guards));
                        foreach (var (state, name, _) in transition.Possible ?? [])
                            edges.Add(new Edge(decision, state.ToString(), "", [name]));
                    }
                    else
                    {
                        edges.Add(new Edge(from.ToString(), (transition.To ?? from).ToString(), trigger, guards));
                    }
                }
            }
        }

        return new Drawing(open, [.. Enum.GetValues<CaseState>().Except(open)], decisions, edges);
    }

    /// <summary>Mermaid stateDiagram-v2, top to bottom. Every label is identifiers, spaces, brackets and commas: nothing Mermaid parses.</summary>
    public static string Mermaid()
    {
        var drawing = Build();
        var inside = drawing.Inside.Select(s => s.ToString()).Concat(drawing.Decisions).ToHashSet(StringComparer.Ordinal);
        var text = new StringBuilder("stateDiagram-v2\n    direction TB\n");
        text.Append("    classDef initial stroke-width:3px\n");
        text.Append(CultureInfo.InvariantCulture, $"    state \"{OpenLabel}\" as {OpenState} {{\n");
        foreach (var state in drawing.Inside) text.Append(CultureInfo.InvariantCulture, $"        {state}\n");
        foreach (var decision in drawing.Decisions) text.Append(CultureInfo.InvariantCulture, $"        state {decision} <<choice>>\n");
        foreach (var edge in drawing.Edges.Where(e => inside.Contains(e.From) && inside.Contains(e.To)))
            text.Append(CultureInfo.InvariantCulture, $"        {edge.From} --> {edge.To} : {edge.Label}\n");
        text.Append("    }\n");
        foreach (var state in drawing.Outside) text.Append(CultureInfo.InvariantCulture, $"    {state}\n");
        foreach (var edge in drawing.Edges.Where(e => !(inside.Contains(e.From) && inside.Contains(e.To))))
            text.Append(CultureInfo.InvariantCulture, $"    {edge.From} --> {edge.To} : {edge.Label}\n");
        text.Append(CultureInfo.InvariantCulture, $"    class {CaseState.Draft} initial\n");
        return text.ToString();
    }

    /// <summary>
    /// Graphviz, top to bottom: the open states in a cluster, edges from the composite drawn once from
    /// its border (compound edges), decisions as diamonds with their names, Draft (the start) in bold.
    /// </summary>
    public static string Dot()
    {
        var drawing = Build();
        var text = new StringBuilder("digraph ExtraditionCase {\n");
        text.Append("    rankdir=TB;\n    compound=true;\n    nodesep=0.3;\n    ranksep=0.45;\n");
        text.Append("    node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=11];\n");
        text.Append("    edge [fontname=\"Helvetica\", fontsize=9];\n");
        text.Append(CultureInfo.InvariantCulture, $"    subgraph cluster_{OpenState} {{\n        label={Quote(OpenLabel)};\n        style=rounded;\n");
        foreach (var state in drawing.Inside)
            text.Append(CultureInfo.InvariantCulture, $"        {state}{(state == CaseState.Draft ? " [penwidth=3]" : "")};\n");
        foreach (var decision in drawing.Decisions)
            text.Append(CultureInfo.InvariantCulture, $"        {decision} [shape=diamond, style=\"\", label={Quote(decision)}];\n");
        text.Append("    }\n");
        foreach (var state in drawing.Outside) text.Append(CultureInfo.InvariantCulture, $"    {state};\n");

        // A compound edge leaves the cluster's border; it is anchored on the cluster's last state.
        var anchor = drawing.Inside[^1].ToString();
        foreach (var edge in drawing.Edges)
        {
            var label = edge.Guards.Count == 0 ? edge.Trigger
                : string.Join("\n", (edge.Trigger.Length > 0 ? [edge.Trigger] : Array.Empty<string>()).Concat(edge.Guards.Select(g => $"[{g}]")));
            var from = edge.From == OpenState ? $"{anchor} -> {edge.To} [ltail=cluster_{OpenState}, " : $"{edge.From} -> {edge.To} [";
            text.Append(CultureInfo.InvariantCulture, $"    {from}label={Quote(label)}];\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>A DOT quoted string: backslash and quote escaped; a line break as DOT's centred \n.</summary>
    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
