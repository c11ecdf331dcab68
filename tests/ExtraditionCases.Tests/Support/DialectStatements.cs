using System.Reflection;
using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Tests.Support;

/// <summary>One SQL statement a repository runs, named by its record type and property (CaseStoreSql.InsertEvent).</summary>
public sealed record DiscoveredStatement(string Owner, string Sql)
{
    public override string ToString() => Owner;
}

/// <summary>
/// Every statement of every <see cref="Dialect{TStatements}"/> in the Infrastructure assembly, found by
/// reflection so that a repository added later is checked without anyone listing it here.
/// </summary>
public static class DialectStatements
{
    public static IReadOnlyList<DiscoveredStatement> SqlServer { get; } = Discover(nameof(Dialect<object>.SqlServer));

    public static IReadOnlyList<DiscoveredStatement> Sqlite { get; } = Discover(nameof(Dialect<object>.Sqlite));

    private static List<DiscoveredStatement> Discover(string dialectProperty)
    {
        const BindingFlags PublicStatic = BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var statements = new List<DiscoveredStatement>();
        foreach (var type in typeof(Dialect<>).Assembly.GetTypes().Where(t => !t.ContainsGenericParameters))
        {
            var members = type.GetFields(PublicStatic).Select(f => (f.FieldType, Value: (Func<object?>)(() => f.GetValue(null))))
                .Concat(type.GetProperties(PublicStatic).Where(p => p.GetIndexParameters().Length == 0)
                    .Select(p => (FieldType: p.PropertyType, Value: (Func<object?>)(() => p.GetValue(null)))));
            foreach (var (memberType, value) in members)
            {
                if (!memberType.IsGenericType || memberType.GetGenericTypeDefinition() != typeof(Dialect<>)) continue;
                var statementsType = memberType.GetGenericArguments()[0];
                var record = memberType.GetProperty(dialectProperty)!.GetValue(value());
                if (record is null) continue;
                foreach (var property in statementsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                             .Where(p => p.PropertyType == typeof(string) && p.GetIndexParameters().Length == 0))
                {
                    statements.Add(new DiscoveredStatement($"{statementsType.Name}.{property.Name}", (string)property.GetValue(record)!));
                }
            }
        }

        return [.. statements.OrderBy(s => s.Owner, StringComparer.Ordinal)];
    }
}
