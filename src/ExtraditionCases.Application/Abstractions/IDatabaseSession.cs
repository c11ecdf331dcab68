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
    Task CommitAsync(CancellationToken cancellationToken);
    Task RollbackAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<T>> QueryAsync<T>(SqlStatement statement, object? parameters, CancellationToken cancellationToken);

    Task<T?> QuerySingleOrDefaultAsync<T>(SqlStatement statement, object? parameters, CancellationToken cancellationToken);

    /// <summary>Runs a write in the request's transaction; the number of rows it changed.</summary>
    Task<int> ExecuteAsync(SqlStatement statement, object? parameters, CancellationToken cancellationToken);
}

/// <summary>
/// One statement in both dialects, side by side: SQLite (the default and the tests' database) and
/// SQL Server (production). Parameters only, never concatenated input. The contract, prepare and
/// ScriptDom tests find every one of these by reflection.
/// </summary>
public sealed record SqlStatement(string Sqlite, string SqlServer);

/// <summary>Marks a MediatR request that writes: it runs inside one transaction.</summary>
public interface ICommand<out TResponse> : MediatR.IRequest<TResponse>;
