using System.Text;

namespace ExtraditionCases.Api.Http;

/// <summary>
/// RFC 4180 text for spreadsheets: CRLF line ends, every field quoted, quotes doubled, and a text cell that a
/// spreadsheet would run as a formula given a leading apostrophe (OWASP CSV injection). Every CSV export
/// (histories, reports) writes through this one guard.
/// </summary>
public static class Csv
{
    public static string Field(string field)
    {
        if (field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r') field = "'" + field;
        return "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A header row and one row per record, each line ending CRLF.</summary>
    public static string Table(IReadOnlyList<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        // Header names are our own identifiers: written bare, as the history export always has.
        var csv = new StringBuilder(string.Join(',', header)).Append("\r\n");
        foreach (var row in rows) csv.Append(string.Join(',', row.Select(Field))).Append("\r\n");
        return csv.ToString();
    }
}
