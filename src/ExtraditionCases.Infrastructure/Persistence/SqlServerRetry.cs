using Microsoft.Data.SqlClient;

namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>
/// Transient-fault retries for SQL Server, on opening connections only: an open is always safe to
/// repeat, whereas a command inside a transaction is not (its transaction is gone with the fault).
/// </summary>
public static class SqlServerRetry
{
    public static readonly SqlRetryLogicBaseProvider Provider = SqlConfigurableRetryFactory.CreateExponentialRetryProvider(
        new SqlRetryLogicOption
        {
            NumberOfTries = 5,
            DeltaTime = TimeSpan.FromMilliseconds(200),
            MaxTimeInterval = TimeSpan.FromSeconds(5),
        });
}
