using ExtraditionCases.Infrastructure.Cases;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// The SQL Server path proven without a server: the migrations and every SQL Server statement in the
/// code parse as T-SQL 2022, and every table and column a statement names is one the migrations create.
/// Types and runtime behaviour are the SQL Server lane's (the *ContractTests fixtures with a server).
/// </summary>
public sealed class SqlServerScriptVerificationTests
{
    private static readonly Lazy<SqlServerSchema> MigratedSchema =
        new(() => SqlServerSchema.FromScripts(Repository.SqlServerMigrationPaths.Select(File.ReadAllText)));

    public static IEnumerable<TestCaseData> Migrations() =>
        Repository.SqlServerMigrationPaths.Select(path => new TestCaseData(path).SetArgDisplayNames(Path.GetFileName(path)));

    public static IEnumerable<TestCaseData> SqlServerStatements() =>
        DialectStatements.SqlServer.Select(s => new TestCaseData(s).SetArgDisplayNames(s.Owner));

    [TestCaseSource(nameof(Migrations))]
    public void Every_sql_server_migration_parses_without_errors(string path)
    {
        var tree = TSql.Parse(File.ReadAllText(path), out var errors);

        Assert.Multiple(() =>
        {
            Assert.That(errors.Select(TSql.Describe), Is.Empty, path);
            Assert.That(tree.Batches.SelectMany(b => b.Statements), Is.Not.Empty, path);
        });
    }

    [Test]
    public void The_service_login_script_parses_and_puts_the_login_in_the_least_privilege_role_only()
    {
        // sqlcmd fills the $(…) variables from the environment before the server sees the script.
        var script = File.ReadAllText(Path.Combine(Repository.Root, "deploy", "sqlserver", "service-login.sql"))
            .Replace("$(SERVICE_LOGIN)", "extradition_api", StringComparison.Ordinal)
            .Replace("$(SERVICE_PASSWORD)", "Str0ng-Passw0rd", StringComparison.Ordinal)
            .Replace("$(SERVICE_DATABASE)", "ExtraditionCases", StringComparison.Ordinal);
        TSql.Parse(script, out var errors);
        var migration = File.ReadAllText(Repository.SqlServerMigrationPaths.Single(p => Path.GetFileName(p) == "0010_transparency.sql"));

        Assert.Multiple(() =>
        {
            Assert.That(errors.Select(TSql.Describe), Is.Empty);
            Assert.That(script, Does.Contain("ALTER ROLE extradition_service ADD MEMBER").And.Not.Contain("db_owner").And.Not.Contain("db_datawriter"));
            foreach (var table in new[] { "CaseEvents", "ChangeFeed", "AccessLog", "TransparencyLeaves", "TransparencyNodes", "TransparencyCheckpoints", "TransparencyCosignatures" })
            {
                Assert.That(migration, Does.Contain($"GRANT INSERT ON dbo.{table} TO extradition_service;"), table);
                Assert.That(migration, Does.Contain($"DENY UPDATE, DELETE ON dbo.{table} TO extradition_service;"), table);
            }
        });
    }

    [Test]
    public void The_service_role_is_granted_every_write_the_code_makes_and_no_more_on_append_only_records()
    {
        var migrations = string.Join("\n", Repository.SqlServerMigrationPaths.Select(File.ReadAllText));
        var granted = System.Text.RegularExpressions.Regex.Matches(migrations, @"GRANT ([A-Z, ]+) ON dbo\.(\w+) TO extradition_service")
            .SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(verb => (verb, m.Groups[2].Value)))
            .ToHashSet();
        var writes = DialectStatements.SqlServer
            .SelectMany(s => System.Text.RegularExpressions.Regex.Matches(s.Sql, @"\b(INSERT INTO|UPDATE|DELETE FROM)\s+dbo\.(\w+)")
                .Select(m => (Verb: m.Groups[1].Value.Split(' ')[0], Table: m.Groups[2].Value, s.Owner)))
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(writes, Is.Not.Empty);
            foreach (var (verb, table, owner) in writes)
                Assert.That(granted, Does.Contain((verb, table)), $"{owner} runs {verb} on dbo.{table}, which the service's role is not granted");
        });
    }

    [Test]
    public void There_is_at_least_one_sql_server_migration() =>
        Assert.That(Repository.SqlServerMigrationPaths, Is.Not.Empty, Path.Combine(Repository.Root, "db", "sqlserver"));

    [Test]
    public void The_schema_read_from_the_migrations_has_the_case_tables_and_the_ledger_columns()
    {
        var tables = MigratedSchema.Value.Tables;

        Assert.Multiple(() =>
        {
            Assert.That(tables.Keys, Is.SupersetOf(new[] { "dbo.Cases", "dbo.CaseEvents", "dbo.Deadlines", "dbo.ReferenceCounter" }));
            Assert.That(tables["dbo.Cases"], Does.Contain("HeadHash"));
            Assert.That(tables["dbo.Cases"].Contains("reference"), Is.True, "names compare case-insensitively, as in SQL Server");
            Assert.That(tables["dbo.CaseEvents"], Does.Contain("Trigger").And.Contain("ledger_start_sequence_number"));
            Assert.That(tables["dbo.CaseEvents"], Does.Not.Contain("ledger_end_sequence_number"), "an append-only ledger has no end columns");
        });
    }

    [Test]
    public void Discovery_finds_every_case_store_statement_in_both_dialects()
    {
        var expected = new[]
        {
            "NextReferenceNumber", "FindCase", "FindDeadlines", "FindParties", "InsertCase",
            "UpdateCase", "InsertEvent", "DeleteDeadlines", "InsertDeadline", "ListCases",
        }.Select(p => $"{nameof(CaseStoreSql)}.{p}");

        Assert.Multiple(() =>
        {
            Assert.That(DialectStatements.SqlServer.Select(s => s.Owner), Is.SupersetOf(expected));
            Assert.That(DialectStatements.Sqlite.Select(s => s.Owner), Is.SupersetOf(expected));
            Assert.That(DialectStatements.SqlServer.Select(s => s.Owner), Is.Unique);
        });
    }

    [TestCaseSource(nameof(SqlServerStatements))]
    public void Every_sql_server_statement_parses_as_tsql(DiscoveredStatement statement)
    {
        TSql.Parse(statement.Sql, out var errors);

        Assert.That(errors.Select(TSql.Describe), Is.Empty, $"{statement.Owner} (SQL Server) does not parse:\n{statement.Sql}");
    }

    [TestCaseSource(nameof(SqlServerStatements))]
    public void Every_sql_server_statement_references_only_migrated_columns(DiscoveredStatement statement)
    {
        var problems = new TSqlSchemaChecker(MigratedSchema.Value).Check(statement.Sql);

        Assert.That(problems.Select(p => p.ToString()), Is.Empty,
            $"{statement.Owner} (SQL Server) names what the migrations do not create:\n{statement.Sql}");
    }

    /// <summary>The default collation compares case-insensitively: a subject filter must not take "alice" for "Alice".</summary>
    [Test]
    public void Every_sql_server_comparison_of_a_subject_is_exact()
    {
        var comparisons = DialectStatements.SqlServer
            .SelectMany(s => System.Text.RegularExpressions.Regex.Matches(s.Sql, @"\b\w*Subject = @\w+(?<collation> COLLATE \w+)?")
                .Select(m => (s.Owner, Comparison: m.Value, Collation: m.Groups["collation"].Value.Trim())))
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(comparisons.Select(c => c.Owner), Is.SupersetOf(new[] { "ListAccess.Sql.Page", "ListAuditEvents.Sql.Page" }));
            Assert.That(comparisons.Where(c => !c.Collation.EndsWith("_BIN2", StringComparison.Ordinal)).Select(c => $"{c.Owner}: {c.Comparison}"),
                Is.Empty, "compare with a binary collation");
        });
    }

    [Test]
    public void The_checker_reports_a_misspelt_column()
    {
        var problems = new TSqlSchemaChecker(MigratedSchema.Value).Check("SELECT Refrence FROM dbo.Cases WHERE Id = @Id;");

        Assert.That(problems.Select(p => (p.Kind, p.Name)), Is.EqualTo(new[] { (SqlProblem.UnknownColumn, "Refrence") }));
    }

    [TestCase("SELECT Id FROM dbo.Casez;", SqlProblem.UnknownTable, "dbo.Casez")]
    [TestCase("SELECT c.Id, Reference FROM dbo.Casez c;", SqlProblem.UnknownTable, "dbo.Casez")]
    [TestCase("SELECT c.Refrence FROM dbo.Cases c;", SqlProblem.UnknownColumn, "Refrence")]
    [TestCase("SELECT x.Id FROM dbo.Cases c;", SqlProblem.UnknownTable, "x")]
    [TestCase("SELECT d.Ordinal FROM dbo.Cases c JOIN dbo.Deadlines d ON d.CaseId = c.Id WHERE c.Ordinal = 1;", SqlProblem.UnknownColumn, "Ordinal")]
    [TestCase("SELECT Id FROM dbo.Cases WHERE EXISTS (SELECT 1 FROM dbo.Deadlines d WHERE d.CaseId = dbo.Cases.Idd);", SqlProblem.UnknownColumn, "Idd")]
    [TestCase("INSERT INTO dbo.Deadlines (CaseId, Reference) SELECT Id, Reference FROM dbo.Cases;", SqlProblem.UnknownColumn, "Reference")]
    [TestCase("UPDATE dbo.Deadlines SET HeadHash = @H WHERE CaseId = @Id;", SqlProblem.UnknownColumn, "HeadHash")]
    [TestCase("UPDATE dbo.ReferenceCounter SET NextNumber = NextNumber + 1 OUTPUT inserted.Number WHERE Id = 1;", SqlProblem.UnknownColumn, "Number")]
    [TestCase("DELETE FROM dbo.Deadlines WHERE CaseIdd = @Id;", SqlProblem.UnknownColumn, "CaseIdd")]
    [TestCase("SELECT Id FROM Cases WHERE Id = @Id; SELECT Sequence FROM dbo.Cases;", SqlProblem.UnknownColumn, "Sequence")]
    [TestCase("WITH latest AS (SELECT CaseId FROM dbo.CaseEvents) SELECT l.CaseId FROM latest l JOIN dbo.Cases c ON c.Idd = l.CaseId;", SqlProblem.UnknownColumn, "Idd")]
    [TestCase("MERGE dbo.ReferenceCounter AS t USING (VALUES (1)) AS s (Id) ON t.Id = s.Id WHEN MATCHED THEN UPDATE SET Next = 2;", SqlProblem.UnknownColumn, "Next")]
    [TestCase("SELECT j.FullName FROM dbo.Cases c CROSS APPLY OPENJSON(c.Workflows) WITH (FullName nvarchar(200)) AS j;", SqlProblem.UnknownColumn, "Workflows")]
    [TestCase("DECLARE @moved TABLE (Id uniqueidentifier); UPDATE dbo.Cases SET State = 'Closed' OUTPUT inserted.Id INTO dbo.Deadlines (Id) WHERE Id = @Id;", SqlProblem.UnknownColumn, "Id")]
    [TestCase("SELECT Id FROM dbo.Cases WHERE", SqlProblem.ParseError, null)]
    public void The_checker_rejects_names_the_migrations_do_not_create(string sql, string kind, string? name)
    {
        var problems = new TSqlSchemaChecker(MigratedSchema.Value).Check(sql);

        Assert.That(problems, Has.Count.EqualTo(1), string.Join("\n", problems));
        Assert.That(problems[0].Kind, Is.EqualTo(kind));
        if (name is not null) Assert.That(problems[0].Name, Is.EqualTo(name));
    }

    [TestCase("SELECT [Trigger], \"Hash\" FROM [dbo].[CaseEvents] WHERE CaseId = @Id ORDER BY Sequence;")]
    [TestCase("SELECT COUNT(*) AS OpenCount FROM dbo.Deadlines WHERE Status = 'Pending' ORDER BY OpenCount;")]
    [TestCase("UPDATE c SET c.Version = c.Version + 1 OUTPUT inserted.Version, deleted.HeadHash FROM dbo.Cases c WHERE c.Id = @Id;")]
    [TestCase("DELETE d FROM dbo.Deadlines d JOIN dbo.Cases c ON c.Id = d.CaseId WHERE c.State = 'Closed';")]
    [TestCase("WITH latest (CaseId, Head) AS (SELECT CaseId, MAX(Sequence) FROM dbo.CaseEvents GROUP BY CaseId) SELECT l.CaseId, Head FROM latest l;")]
    [TestCase("SELECT t.Total FROM (SELECT CaseId, COUNT(*) AS Total FROM dbo.Deadlines GROUP BY CaseId) AS t WHERE t.CaseId = @Id;")]
    [TestCase("SELECT e.Sequence, e.ledger_start_sequence_number FROM dbo.CaseEvents e WHERE DATEADD(day, 1, e.RecordedAt) > @Now;")]
    [TestCase("SELECT c.Id, j.FullName FROM dbo.Cases c CROSS APPLY OPENJSON(c.CaseFile, '$.person') WITH (FullName nvarchar(200) '$.fullName') AS j;")]
    [TestCase("MERGE dbo.ReferenceCounter AS t USING (VALUES (1, 1)) AS s (Id, NextNumber) ON t.Id = s.Id WHEN NOT MATCHED THEN INSERT (Id, NextNumber) VALUES (s.Id, s.NextNumber) WHEN MATCHED THEN UPDATE SET NextNumber = t.NextNumber + 1 OUTPUT $action, inserted.NextNumber;")]
    [TestCase("IF NOT EXISTS (SELECT 1 FROM dbo.ReferenceCounter WHERE Id = 1) INSERT INTO dbo.ReferenceCounter (Id, NextNumber) VALUES (1, 1);")]
    [TestCase("DECLARE @n bigint; UPDATE dbo.ReferenceCounter SET @n = NextNumber = NextNumber + 1 OUTPUT deleted.NextNumber INTO @moved (Number) WHERE Id = 1;")]
    [TestCase("SELECT name FROM sys.tables WHERE name = 'Cases';")]
    public void The_checker_accepts_valid_statements_over_the_migrated_schema(string sql)
    {
        var problems = new TSqlSchemaChecker(MigratedSchema.Value).Check(sql);

        Assert.That(problems.Select(p => p.ToString()), Is.Empty);
    }

    [Test]
    public void Removing_a_migrated_column_fails_the_statements_that_use_it()
    {
        var scripts = Repository.SqlServerMigrationPaths.Select(File.ReadAllText).ToList();
        var withoutHeadHash = scripts.Select(s => Repository.WithoutColumnLine(s, "HeadHash")).ToList();
        Assert.That(withoutHeadHash, Is.Not.EqualTo(scripts), "the migrations no longer declare HeadHash on a line of its own");
        var checker = new TSqlSchemaChecker(SqlServerSchema.FromScripts(withoutHeadHash));

        var failing = DialectStatements.SqlServer
            .Where(s => s.Owner.StartsWith($"{nameof(CaseStoreSql)}.", StringComparison.Ordinal))
            .Select(s => (s.Owner, Problems: checker.Check(s.Sql)))
            .Where(r => r.Problems.Count > 0)
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(failing.Select(f => f.Owner), Is.EquivalentTo(new[]
            {
                "CaseStoreSql.FindCase", "CaseStoreSql.InsertCase", "CaseStoreSql.UpdateCase", "CaseStoreSql.ListCases", "CaseStoreSql.ListAssigned", "CaseStoreSql.ListOverdueCases",
            }));
            Assert.That(failing.SelectMany(f => f.Problems).Select(p => p.Name).Distinct(), Is.EqualTo(new[] { "HeadHash" }));
        });
    }
}
