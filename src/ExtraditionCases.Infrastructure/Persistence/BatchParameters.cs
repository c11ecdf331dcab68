using System.Data;
using System.Data.Common;

namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>
/// The parameters of a command run once per row of a batch (the access log's entries, the publisher's nodes): made once
/// and given new values per row. Dapper's execute-per-item made new parameter objects for every row and bound each
/// through its type handlers, several µs per row of a background writer that every request feeds (issue 20).
/// </summary>
internal static class BatchParameters
{
    public static DbParameter Add(DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>A text value or NULL; on SQL Server sized as Dapper sizes strings (nvarchar(4000), or (max) beyond it) so the statement keeps one plan.</summary>
    public static void SetText(DbParameter parameter, string? value, bool sqlServer)
    {
        parameter.Value = (object?)value ?? DBNull.Value;
        if (sqlServer) parameter.Size = value is { Length: > 4000 } ? -1 : 4000;
    }
}
