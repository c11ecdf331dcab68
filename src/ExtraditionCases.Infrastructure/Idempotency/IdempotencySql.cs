using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Idempotency;

public sealed record IdempotencySql(string Find, string ReplaceExpired, string Insert, string Purge)
{
    private const string Columns = "KeyHash, Issuer, Subject, IdemKey, Fingerprint, Body, CreatedAt, ExpiresAt";
    private const string Values = "@KeyHash, @Issuer, @Subject, @IdemKey, @Fingerprint, @Body, @CreatedAt, @ExpiresAt";

    public static readonly Dialect<IdempotencySql> Statements = new(
        Sqlite: new IdempotencySql(
            Find: "SELECT Fingerprint, Body FROM IdempotencyKeys WHERE KeyHash = @KeyHash AND ExpiresAt > @Now",
            ReplaceExpired: "DELETE FROM IdempotencyKeys WHERE KeyHash = @KeyHash AND ExpiresAt <= @Now",
            Insert: $"INSERT INTO IdempotencyKeys ({Columns}) VALUES ({Values})",
            Purge: "DELETE FROM IdempotencyKeys WHERE ExpiresAt <= @Now"),
        SqlServer: new IdempotencySql(
            Find: "SELECT Fingerprint, Body FROM dbo.IdempotencyKeys WHERE KeyHash = @KeyHash AND ExpiresAt > @Now;",
            ReplaceExpired: "DELETE FROM dbo.IdempotencyKeys WHERE KeyHash = @KeyHash AND ExpiresAt <= @Now;",
            Insert: $"INSERT INTO dbo.IdempotencyKeys ({Columns}) VALUES ({Values});",
            Purge: "DELETE TOP (5000) FROM dbo.IdempotencyKeys WHERE ExpiresAt <= @Now;"));
}
