using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain;
using MediatR;

namespace ExtraditionCases.Application.Features.Webhooks;

/// <summary>
/// A new signing secret, shown once. The one it replaces keeps signing beside it for the grace period
/// (each delivery then carries both signatures), so a receiver can switch without dropping a delivery.
/// </summary>
public static class RotateSecret
{
    public sealed record Command(Caller Caller, Guid Id) : ICommand<Rotated>;

    public sealed record Rotated(Guid Id, string Secret, string? PreviousSecretExpiresAt);

    public sealed class Handler(IDatabaseSession session, TimeProvider clock, WebhookOptions options) : IRequestHandler<Command, Rotated>
    {
        public async Task<Rotated> Handle(Command request, CancellationToken cancellationToken)
        {
            Subscriptions.CountryOf(request.Caller);
            await Subscriptions.FindOwnAsync(session, request.Caller, request.Id, cancellationToken);
            var now = clock.GetUtcNow();
            var secret = WebhookSecrets.New();
            var expiresAt = now.AddHours(options.SecretGraceHours);
            await session.ExecuteAsync(Sql.Rotate, new { request.Id, Secret = secret, ExpiresAt = expiresAt, Now = now }, cancellationToken);
            return new Rotated(request.Id, secret, options.SecretGraceHours > 0 ? Instant.ToText(expiresAt) : null);
        }
    }

    public static class Sql
    {
        public static readonly SqlStatement Rotate = new(
            Sqlite: """
                UPDATE WebhookSubscriptions SET PreviousSecret = Secret, PreviousSecretExpiresAt = @ExpiresAt, Secret = @Secret, UpdatedAt = @Now
                WHERE Id = @Id
                """,
            SqlServer: """
                UPDATE dbo.WebhookSubscriptions SET PreviousSecret = Secret, PreviousSecretExpiresAt = @ExpiresAt, Secret = @Secret, UpdatedAt = @Now
                WHERE Id = @Id;
                """);
    }
}
