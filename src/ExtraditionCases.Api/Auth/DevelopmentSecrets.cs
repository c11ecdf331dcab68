using System.Reflection;
using Microsoft.Extensions.Configuration.UserSecrets;

namespace ExtraditionCases.Api.Auth;

/// <summary>
/// User secrets are watched for changes only if their folder exists when the service starts. On a
/// fresh machine it does not until the first <c>dotnet user-jwts create</c>, which would leave a
/// running service blind to the signing key it just wrote. So in Development we create the folder first.
/// </summary>
public static class DevelopmentSecrets
{
    public static void EnsureWatchable()
    {
        if (!string.Equals(Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"), "Development", StringComparison.OrdinalIgnoreCase)) return;
        var id = typeof(DevelopmentSecrets).Assembly.GetCustomAttribute<UserSecretsIdAttribute>()?.UserSecretsId;
        if (id is null) return;
        var folder = Path.GetDirectoryName(PathHelper.GetSecretsPathFromSecretsId(id));
        if (folder is not null) Directory.CreateDirectory(folder);
    }
}
