namespace ExtraditionCases.Application.Abstractions;

/// <summary>
/// The connection and transaction of one request. The transaction behavior begins and ends it;
/// stores and read handlers enlist in whatever is open. Reads run a <see cref="SqlStatement"/>: the
/// session knows its database's dialect and runs that dialect's text, mapping columns to properties
/// of <typeparamref name="T"/> by name.
/// </summary>
public interface IDatabaseSession
{
    Task BeginAsync(CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="BeginAsync"/>, for a background batch of many rows: on SQLite it commits on its own rather than in a
    /// group with the writes around it, so writes that ended just before it are not held back for its length.
    /// </summary>
    Task BeginBatchAsync(CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Undoes the open transaction's writes; meant for failure paths (<c>catch { rollback; throw; }</c>). It throws only when
    /// the caller's own error must not be answered: on SQLite, when the group commit the write shared failed (a refusal
    /// may rest on the group's earlier writes). A server that already ended the transaction is logged, not thrown.
    /// </summary>
    Task RollbackAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<T>> QueryAsync<T>(SqlStatement statement, object? parameters, CancellationToken cancellationToken);

    Task<T?> QuerySingleOrDefaultAsync<T>(SqlStatement statement, object? parameters, CancellationToken cancellationToken);

    /// <summary>Runs a statement that returns no rows; the number of rows it affected.</summary>
    Task<int> ExecuteAsync(SqlStatement statement, object? parameters, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a query and hands its rows to <paramref name="onRow"/> one at a time, in order, as the database returns them:
    /// no object per row, and on SQLite no string per column (a long read written straight into a response, issue 20). Parameters
    /// are the properties of <paramref name="parameters"/>, as for the other reads (GUIDs, instants, text and integers).
    /// </summary>
    Task StreamAsync(SqlStatement statement, object? parameters, Action<IStreamedRow> onRow, CancellationToken cancellationToken);
}

/// <summary>
/// The current row of <see cref="IDatabaseSession.StreamAsync"/>, valid only inside the call that receives it. Read its
/// columns in increasing order, each once (<see cref="IsNull"/> before its value is allowed): SQL Server streams them.
/// </summary>
public interface IStreamedRow
{
    bool IsNull(int ordinal);

    long GetInt64(int ordinal);

    /// <summary>A text column's UTF-8 bytes, valid until the next call on this row.</summary>
    ReadOnlySpan<byte> GetUtf8(int ordinal);
}

/// <summary>
/// One statement in both dialects, side by side: SQLite (the default and the tests' database) and
/// SQL Server (production). Parameters only, never concatenated input. The contract, prepare and
/// ScriptDom tests find every one of these by reflection.
/// </summary>
public sealed record SqlStatement(string Sqlite, string SqlServer);

/// <summary>Marks a MediatR request that writes: it runs inside one transaction.</summary>
public interface ICommand<out TResponse> : MediatR.IRequest<TResponse>;
