using System.Reflection;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Tests.Support;

/// <summary>
/// One SQL statement the code runs, named by where it is declared: a store's record type and property
/// (CaseStoreSql.InsertEvent), or a use case's statement (ListDeadlines.Sql.All).
/// </summary>
public sealed record DiscoveredStatement(string Owner, string Sql)
{
    public override string ToString() => Owner;
}

/// <summary>
/// Every statement of every <see cref="Dialect{TStatements}"/> in the Infrastructure assembly (the stores'
/// statements) and every <see cref="SqlStatement"/> of the Application and Infrastructure assemblies (the
/// use cases' statements), found by reflection so that a store or use case added later is checked
/// without anyone listing it here.
/// </summary>
public static class DialectStatements
{
    public static IReadOnlyList<DiscoveredStatement> SqlServer { get; } = Discover(nameof(Dialect<object>.SqlServer));

    public static IReadOnlyList<DiscoveredStatement> Sqlite { get; } = Discover(nameof(Dialect<object>.Sqlite));

    private static List<DiscoveredStatement> Discover(string dialectProperty)
    {
        const BindingFlags PublicStatic = BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var statements = new List<DiscoveredStatement>();
        var types = typeof(Dialect<>).Assembly.GetTypes().Concat(typeof(SqlStatement).Assembly.GetTypes()).Where(t => !t.ContainsGenericParameters);
        foreach (var type in types)
        {
            var members = type.GetFields(PublicStatic).Select(f => (f.FieldType, Value: (Func<object?>)(() => f.GetValue(null)), f.Name))
                .Concat(type.GetProperties(PublicStatic).Where(p => p.GetIndexParameters().Length == 0)
                    .Select(p => (FieldType: p.PropertyType, Value: (Func<object?>)(() => p.GetValue(null)), p.Name)));
            foreach (var (memberType, value, name) in members)
            {
                if (memberType == typeof(SqlStatement))
                {
                    var statement = (SqlStatement)value()!;
                    var owner = type.DeclaringType is { } slice ? $"{slice.Name}.{type.Name}.{name}" : $"{type.Name}.{name}";
                    statements.Add(new DiscoveredStatement(owner, dialectProperty == nameof(Dialect<object>.SqlServer) ? statement.SqlServer : statement.Sqlite));
                    continue;
                }

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
