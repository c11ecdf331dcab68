namespace ExtraditionCases.Application.Abstractions;

/// <summary>
/// The connection and transaction of one request. The transaction behavior begins and ends it;
/// repositories enlist in whatever is open.
/// </summary>
public interface IDatabaseSession
{
    Task BeginAsync(CancellationToken cancellationToken);
    Task CommitAsync(CancellationToken cancellationToken);
    Task RollbackAsync(CancellationToken cancellationToken);
}

/// <summary>Marks a MediatR request that writes: it runs inside one transaction.</summary>
public interface ICommand<out TResponse> : MediatR.IRequest<TResponse>;
