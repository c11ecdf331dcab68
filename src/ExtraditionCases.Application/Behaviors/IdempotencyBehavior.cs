using System.Text.Json;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Json;
using MediatR;

namespace ExtraditionCases.Application.Behaviors;

/// <summary>
/// Outside the transaction: a retry whose key already has a stored response is answered with it,
/// before any precondition is checked, so a retry of a success is replayed rather than refused 412.
/// A duplicate that raced the first and lost (its own transaction rolled back on the key, or on the
/// version the first one moved) is answered with the winner's response too: never a second effect.
/// </summary>
public sealed class IdempotencyBehavior<TRequest, TResponse>(IIdempotencyStore store, TimeProvider clock)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IIdempotentCommand { Idempotency: { } idempotency } command) return await next();

        var stored = await store.FindAsync(command.Caller, idempotency.Key, clock.GetUtcNow(), cancellationToken);
        if (stored is not null) return Replay(stored, idempotency);

        try
        {
            return await next();
        }
        catch (Exception)
        {
            var winner = await store.FindAsync(command.Caller, idempotency.Key, clock.GetUtcNow(), CancellationToken.None);
            if (winner is null) throw;
            return Replay(winner, idempotency);
        }
    }

    private static TResponse Replay(StoredResponse stored, Idempotency idempotency)
    {
        if (stored.Fingerprint != idempotency.Fingerprint)
            throw new IdempotencyKeyReusedException();
        var view = JsonSerializer.Deserialize<CaseView>(stored.Body, CaseJson.Options)! with { Replayed = true };
        return (TResponse)(object)view;
    }
}

/// <summary>
/// Inside the transaction, after the handler: stores the response with the effect, so a crash can
/// leave neither an effect without its key nor a key without its effect.
/// </summary>
public sealed class IdempotencyRecordBehavior<TRequest, TResponse>(IIdempotencyStore store, TimeProvider clock)
    : IPipelineBehavior<TRequest, TResponse>
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IIdempotentCommand { Idempotency: { } idempotency } command) return await next();

        // Writers are serialised on SQLite: a duplicate that queued behind the first sees its key here.
        var now = clock.GetUtcNow();
        if (await store.FindAsync(command.Caller, idempotency.Key, now, cancellationToken) is not null)
            throw new IdempotencyRaceLostException();

        var response = await next();
        if (response is CaseView view)
        {
            await store.SaveAsync(command.Caller, idempotency.Key,
                new StoredResponse(idempotency.Fingerprint, JsonSerializer.Serialize(view, CaseJson.Options)), now, now + Retention, cancellationToken);
        }

        return response;
    }
}

/// <summary>Rolls this duplicate back; the outer behavior then answers with the stored response.</summary>
public sealed class IdempotencyRaceLostException() : Exception("A request with this key completed first.");
