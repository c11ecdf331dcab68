using System.Text;

namespace ExtraditionCases.Application.Features;

/// <summary>Opaque cursors: base64url of a short, versioned text. Anything else is a malformed cursor (400).</summary>
public static class OpaqueCursor
{
    public static string Encode(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? cursor, out string text)
    {
        text = string.Empty;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 200) return false;
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
