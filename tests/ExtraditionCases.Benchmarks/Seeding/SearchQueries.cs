using Dapper;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Benchmarks.Seeding;

/// <summary>
/// Search queries as officers type them, from what a seeded database recorded: a whole name, two of its words in the
/// other order (a partial name), an Urdu name, a document number without its separators, a reference, and the seed's
/// most common name (<see cref="CommonName"/>: the worst case, kept in the mix on purpose). Shared by the scale
/// probe (over HTTP) and <c>search-sql</c> (the query alone, in-process).
/// </summary>
internal sealed class SearchQueries(List<string> names, List<string> numbers, List<string> references)
{
    /// <summary>The seed's most common given and family names together (Zipf rank 1 of each pool: about 7% of cases).</summary>
    public const string CommonName = "Muhammad Chaudhry";

    public static async Task<SearchQueries> LoadAsync(SqliteConnection connection) => new(
        (await connection.QueryAsync<string>("SELECT Text FROM SearchEntries WHERE Field = 'Name' ORDER BY random() LIMIT 400")).AsList(),
        (await connection.QueryAsync<string>("SELECT Text FROM SearchEntries WHERE Field = 'IdentityDocument' ORDER BY random() LIMIT 200")).AsList(),
        (await connection.QueryAsync<string>("SELECT Reference FROM Cases ORDER BY random() LIMIT 200")).AsList());

    public string Next(Random r) => Next(r, out _);

    public string Next(Random r, out string kind)
    {
        var name = names[r.Next(names.Count)].Split(' ');
        (kind, var q) = r.Next(6) switch
        {
            0 => ("whole name", string.Join(' ', name)),
            1 => ("partial name, reordered", $"{name[^1]} {name[0]}"),
            2 => ("partial name", name[0] + " " + name[^1]),
            3 => ("document number", numbers[r.Next(numbers.Count)].Replace("-", "", StringComparison.Ordinal)),
            4 => ("reference", references[r.Next(references.Count)]),
            _ => ("most common name", r.Next(2) == 0 ? CommonName : "Chaudhary Mohammad"),
        };
        return q;
    }
}
