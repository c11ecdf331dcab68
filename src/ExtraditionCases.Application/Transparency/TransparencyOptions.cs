namespace ExtraditionCases.Application.Transparency;

/// <summary>Configuration section Transparency: who signs, under which origin, how often, whose cosignatures count.</summary>
public sealed class TransparencyOptions
{
    public const string SectionName = "Transparency";

    /// <summary>The origin prefix of every checkpoint (a schema-less URL, c2sp.org/tlog-checkpoint); each tree's origin is this plus "/" and the tree.</summary>
    public string Origin { get; set; } = "extradition-cases.invalid/transparency";

    /// <summary>The signing key as golang.org/x/mod/sumdb/note writes private keys (PRIVATE+KEY+name+keyid+base64); its name is the key name.</summary>
    public string? SigningKey { get; set; }

    /// <summary>A file holding <see cref="SigningKey"/>'s text (a mounted secret); read at start-up. Never the database.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>Checkpoints are published at least this often when a tree grew.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Verifier keys (name+keyid+base64) of the witnesses whose cosignatures the service accepts and serves.</summary>
    public List<string> Witnesses { get; set; } = [];
}

/// <summary>The trees: one per party country (named by its code), the auditors' over every case, the access log's.</summary>
public static class Trees
{
    public const string All = "all";
    public const string Access = "access";

    /// <summary>The tree of a change-feed audience: the auditors' audience "**" is the tree "all".</summary>
    public static string OfAudience(string audience) => audience == "**" ? All : audience;

    /// <summary><see cref="IsValid"/> as a regular expression, for the API description.</summary>
    public const string NamePattern = "^(all|access|[A-Z]{2})$";

    public const int MaxNameLength = 6;

    public static bool IsValid(string tree) => tree is All or Access || (tree.Length == 2 && tree.All(char.IsAsciiLetterUpper));
}
