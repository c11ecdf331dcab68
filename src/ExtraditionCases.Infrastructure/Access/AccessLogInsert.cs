using System.Data;
using System.Data.Common;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain;
using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Access;

/// <summary>
/// SQL Server: a batch's insert of entries with their leaves (<see cref="AccessLogSql.InsertWithLeaf"/>): one command whose
/// parameters are made once and set per entry (<see cref="BatchParameters"/>); with Dapper's execute-per-item this was
/// about 12-15 µs more of the writer's CPU per entry, which every request to case data pays (issue 20). Values are bound
/// as the Dapper type handlers bind them (DapperTypeHandlers): their native types. SQLite's is <see cref="SqliteAccessLogInsert"/>.
/// </summary>
internal sealed class AccessLogInsert : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter _at, _subject, _role, _country, _caseId, _method, _endpoint, _status, _traceId, _clientAddress,
        _issuer, _requestCount, _caseIds, _entryHash, _leafIndex;

    public AccessLogInsert(DbConnection connection, DbTransaction transaction, string sql)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        _command.Transaction = transaction;
        _at = Add("At", DbType.DateTimeOffset);
        _subject = Add("Subject", DbType.String);
        _role = Add("Role", DbType.String);
        _country = Add("Country", DbType.String);
        _caseId = Add("CaseId", DbType.Guid);
        _method = Add("Method", DbType.String);
        _endpoint = Add("Endpoint", DbType.String);
        _status = Add("Status", DbType.Int32);
        _traceId = Add("TraceId", DbType.String);
        _clientAddress = Add("ClientAddress", DbType.String);
        _issuer = Add("Issuer", DbType.String);
        _requestCount = Add("RequestCount", DbType.Int32);
        _caseIds = Add("CaseIds", DbType.String);
        _entryHash = Add("EntryHash", DbType.String);
        _leafIndex = Add("LeafIndex", DbType.Int64);
    }

    private DbParameter Add(string name, DbType type) => BatchParameters.Add(_command, name, type);

    /// <summary>Stores <paramref name="entry"/> and its leaf at <paramref name="leafIndex"/>.</summary>
    public Task<int> ExecuteAsync(AccessEntry entry, string? caseIds, string entryHash, long leafIndex)
    {
        _at.Value = Instant.Truncate(entry.At);
        Text(_subject, entry.Subject);
        Text(_role, entry.Role);
        Text(_country, entry.Country);
        _caseId.Value = entry.CaseId is { } id ? id : DBNull.Value;
        Text(_method, entry.Method);
        Text(_endpoint, entry.Endpoint);
        _status.Value = entry.Status;
        Text(_traceId, entry.TraceId);
        Text(_clientAddress, entry.ClientAddress);
        Text(_issuer, entry.Issuer);
        _requestCount.Value = entry.Count;
        Text(_caseIds, caseIds);
        Text(_entryHash, entryHash);
        _leafIndex.Value = leafIndex;
        return _command.ExecuteNonQueryAsync();
    }

    private static void Text(DbParameter parameter, string? value) => BatchParameters.SetText(parameter, value, sqlServer: true);

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
