using ExtraditionCases.Application.Abstractions;
using MediatR;

namespace ExtraditionCases.Application.Behaviors;

/// <summary>
/// Innermost: a command runs in one transaction that commits only if the handler returns, so a
/// refused or failed write leaves nothing behind. Queries pass straight through.
/// </summary>
public sealed class TransactionBehavior<TRequest, TResponse>(IDatabaseSession session) : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly bool IsCommand = typeof(TRequest).GetInterfaces()
        .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>));

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (!IsCommand) return await next();

        await session.BeginAsync(cancellationToken);
        try
        {
            var response = await next();
            await session.CommitAsync(cancellationToken);
            return response;
        }
        catch
        {
            await session.RollbackAsync(CancellationToken.None);
            throw;
        }
    }
}
