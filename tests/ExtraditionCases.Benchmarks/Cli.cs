using System.Globalization;

namespace ExtraditionCases.Benchmarks;

/// <summary>`command --name value --flag` arguments; the first word is the command when it is not an option.</summary>
internal sealed class Cli
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public Cli(string[] args)
    {
        var i = 0;
        Command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[i++] : "run";
        for (; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            var name = args[i][2..];
            var value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            _options[name] = value;
        }
    }

    public string Command { get; }

    public bool Flag(string name) => _options.ContainsKey(name);

    public string? Text(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public int Int(string name, int fallback) =>
        Text(name) is { } text ? int.Parse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        Text(name) is { } text ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

    public IReadOnlyCollection<string> Names => _options.Keys;
}
