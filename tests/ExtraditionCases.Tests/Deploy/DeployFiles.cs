using YamlDotNet.RepresentationModel;

namespace ExtraditionCases.Tests.Deploy;

/// <summary>The repository's deploy/ files, read as YAML documents, with small helpers to walk them.</summary>
internal static class DeployFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Every document of a YAML file (a file may hold several, separated by ---).</summary>
    public static IReadOnlyList<YamlMappingNode> Documents(string relative)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(PathOf(relative))) stream.Load(reader);
        return stream.Documents
            .Where(d => d.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(d => d.RootNode as YamlMappingNode ?? throw new InvalidDataException($"{relative}: a document is not a mapping."))
            .ToList();
    }

    public static YamlMappingNode Single(string relative) => Documents(relative) is [var only]
        ? only
        : throw new InvalidDataException($"{relative} should hold exactly one document.");

    public static IEnumerable<string> KubernetesManifests() =>
        Directory.GetFiles(PathOf("deploy/k8s"), "*.yaml")
            .Select(file => Path.GetFileName(file))
            .Where(name => name is not "kustomization.yaml")
            .Select(name => $"deploy/k8s/{name}")
            .Order(StringComparer.Ordinal);

    public static YamlNode? At(this YamlNode node, params string[] path)
    {
        YamlNode? current = node;
        foreach (var step in path)
        {
            current = current switch
            {
                YamlMappingNode map when map.Children.TryGetValue(new YamlScalarNode(step), out var child) => child,
                YamlSequenceNode list when int.TryParse(step, out var index) && index < list.Children.Count => list.Children[index],
                _ => null,
            };
            if (current is null) return null;
        }

        return current;
    }

    public static string? Scalar(this YamlNode node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    public static IReadOnlyList<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.At(path) is YamlSequenceNode list ? list.Children.ToList() : [];

    public static IReadOnlyList<string> Keys(this YamlNode node, params string[] path) =>
        node.At(path) is YamlMappingNode map ? map.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList() : [];

    public static IReadOnlyList<string?> Scalars(this YamlNode node, params string[] path) =>
        node.Items(path).Select(i => (i as YamlScalarNode)?.Value).ToList();

    /// <summary>Every scalar anywhere under the node, for checks that must see the whole file.</summary>
    public static IEnumerable<string> AllScalars(this YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value is { } value ? [value] : [],
        YamlMappingNode map => map.Children.SelectMany(pair => pair.Key.AllScalars().Concat(pair.Value.AllScalars())),
        YamlSequenceNode list => list.Children.SelectMany(AllScalars),
        _ => [],
    };

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ExtraditionCases.sln"))) return folder.FullName;
        }

        throw new DirectoryNotFoundException("The repository root (ExtraditionCases.sln) is not above the test output.");
    }
}
