using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ExtraditionCases.Tests.Support;

/// <summary>What the checker found wrong with one statement: a parse error, an unknown table or an unknown column.</summary>
public sealed record SqlProblem(string Kind, string Name, string Detail)
{
    public const string ParseError = "parse error";
    public const string UnknownTable = "unknown table";
    public const string UnknownColumn = "unknown column";

    public override string ToString() => $"{Kind} '{Name}' {Detail}";
}

/// <summary>
/// The tables and columns that the SQL Server migrations create, read from their parse trees (not from
/// a server): CREATE TABLE, ALTER TABLE ADD and DROP COLUMN, DROP TABLE. Names are kept as schema.table,
/// compared case-insensitively as SQL Server's default collations do.
/// </summary>
public sealed class SqlServerSchema
{
    private readonly Dictionary<string, HashSet<string>> _tables;

    private SqlServerSchema(Dictionary<string, HashSet<string>> tables) => _tables = tables;

    public IReadOnlyDictionary<string, HashSet<string>> Tables => _tables;

    public static SqlServerSchema FromScripts(IEnumerable<string> scripts)
    {
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var script in scripts)
        {
            var tree = TSql.Parse(script, out var errors);
            if (errors.Count > 0)
                throw new InvalidOperationException($"A migration does not parse: {string.Join("; ", errors.Select(TSql.Describe))}");
            foreach (var statement in tree.Batches.SelectMany(b => b.Statements)) Apply(tables, statement);
        }

        return new SqlServerSchema(tables);
    }

    public bool TryGetColumns(string table, out HashSet<string> columns) => _tables.TryGetValue(table, out columns!);

    private static void Apply(Dictionary<string, HashSet<string>> tables, TSqlStatement statement)
    {
        switch (statement)
        {
            case CreateTableStatement create:
                var columns = new HashSet<string>(create.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value), StringComparer.OrdinalIgnoreCase);
                // Ledger tables get generated columns that statements may read (an append-only one has no end columns).
                if (create.Options.OfType<LedgerTableOption>().FirstOrDefault() is { OptionState: OptionState.On } ledger)
                {
                    columns.UnionWith(["ledger_start_transaction_id", "ledger_start_sequence_number"]);
                    if (ledger.AppendOnly != OptionState.On) columns.UnionWith(["ledger_end_transaction_id", "ledger_end_sequence_number"]);
                }

                tables[TSql.TableKey(create.SchemaObjectName)] = columns;
                break;
            case AlterTableAddTableElementStatement add when tables.TryGetValue(TSql.TableKey(add.SchemaObjectName), out var existing):
                existing.UnionWith(add.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value));
                break;
            case AlterTableDropTableElementStatement drop when tables.TryGetValue(TSql.TableKey(drop.SchemaObjectName), out var existing):
                foreach (var element in drop.AlterTableDropTableElements.Where(e => e.TableElementType == TableElementType.Column))
                    existing.Remove(element.Name.Value);
                break;
            case DropTableStatement dropTable:
                foreach (var name in dropTable.Objects) tables.Remove(TSql.TableKey(name));
                break;
        }
    }
}

/// <summary>Parsing with the SQL Server 2022 grammar, as the migrations and statements are written for.</summary>
public static class TSql
{
    public static TSqlScript Parse(string sql, out IList<ParseError> errors) =>
        (TSqlScript)new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out errors);

    public static string Describe(ParseError error) => $"line {error.Line}, column {error.Column}: {error.Message}";

    /// <summary>schema.table, with dbo for an unqualified name (the default schema of the service's user).</summary>
    public static string TableKey(SchemaObjectName name) => $"{name.SchemaIdentifier?.Value ?? "dbo"}.{name.BaseIdentifier.Value}";
}

/// <summary>
/// Checks one SQL Server command text against a <see cref="SqlServerSchema"/>: it parses, every table it
/// names exists, and every column it names exists in the table it resolves to. Each statement of the
/// text is checked on its own; within a statement, names resolve against all of its tables and aliases
/// (subqueries included), which is what correlated subqueries need and a little looser than SQL Server.
/// </summary>
public sealed class TSqlSchemaChecker(SqlServerSchema schema)
{
    public IReadOnlyList<SqlProblem> Check(string sql)
    {
        var tree = TSql.Parse(sql, out var errors);
        if (errors.Count > 0) return [.. errors.Select(e => new SqlProblem(SqlProblem.ParseError, e.Message, TSql.Describe(e)))];

        var problems = new List<SqlProblem>();
        foreach (var statement in tree.Batches.SelectMany(b => b.Statements))
        {
            foreach (var unit in Units(statement)) problems.AddRange(new StatementScope(schema, unit).Problems());
        }

        return problems;
    }

    /// <summary>Control-of-flow blocks are split into the statements and conditions they hold, each its own scope.</summary>
    private static IEnumerable<TSqlFragment> Units(TSqlStatement? statement) => statement switch
    {
        null => [],
        BeginEndBlockStatement block => block.StatementList.Statements.SelectMany(Units),
        IfStatement conditional => [conditional.Predicate, .. Units(conditional.ThenStatement), .. Units(conditional.ElseStatement)],
        WhileStatement loop => [loop.Predicate, .. Units(loop.Statement)],
        TryCatchStatement tryCatch => [.. tryCatch.TryStatements.Statements.SelectMany(Units), .. tryCatch.CatchStatements.Statements.SelectMany(Units)],
        _ => [statement],
    };

    /// <summary>The names one statement declares and uses, gathered in one walk and resolved after it.</summary>
    private sealed class StatementScope : TSqlFragmentVisitor
    {
        private static readonly HashSet<string> ExternalSchemas = new(["sys", "INFORMATION_SCHEMA"], StringComparer.OrdinalIgnoreCase);

        private readonly SqlServerSchema _schema;
        private readonly List<NamedTableReference> _tableReferences = [];
        private readonly List<ColumnReferenceExpression> _columnReferences = [];
        // Columns that belong to one table whatever else the statement reads: INSERT lists and SET targets
        // (the DML target), OUTPUT INTO lists (the INTO table).
        private readonly Dictionary<ColumnReferenceExpression, TableReference> _ownedColumns = [];
        // CTE names and the aliases of derived tables, OPENJSON, functions and table variables: their columns are not the schema's.
        private readonly HashSet<string> _virtualSources = new(StringComparer.OrdinalIgnoreCase);
        // Names a statement defines itself: select-list aliases, CTE and derived-table column lists, OPENJSON WITH columns.
        private readonly HashSet<string> _virtualColumns = new(StringComparer.OrdinalIgnoreCase);
        private TableReference? _target;
        private Identifier? _mergeTargetAlias;
        private bool _readsUnknownColumns;

        public StatementScope(SqlServerSchema schema, TSqlFragment unit)
        {
            _schema = schema;
            unit.Accept(this);
        }

        public override void Visit(NamedTableReference node) => _tableReferences.Add(node);

        public override void Visit(ColumnReferenceExpression node) => _columnReferences.Add(node);

        public override void Visit(CommonTableExpression node)
        {
            _virtualSources.Add(node.ExpressionName.Value);
            _virtualColumns.UnionWith(node.Columns.Select(c => c.Value));
        }

        public override void Visit(TableReferenceWithAlias node)
        {
            if (node is NamedTableReference) return;
            if (node.Alias is not null) _virtualSources.Add(node.Alias.Value);
            switch (node)
            {
                case TableReferenceWithAliasAndColumns { Columns.Count: > 0 } withColumns:
                    _virtualColumns.UnionWith(withColumns.Columns.Select(c => c.Value));
                    break;
                case OpenJsonTableReference { SchemaDeclarationItems.Count: > 0 } openJson:
                    _virtualColumns.UnionWith(openJson.SchemaDeclarationItems.Select(i => i.ColumnDefinition.ColumnIdentifier.Value));
                    break;
                case OpenJsonTableReference:
                    _virtualColumns.UnionWith(["key", "value", "type"]);
                    break;
                case QueryDerivedTable or InlineDerivedTable:
                    // Their output names are their select-list names: real columns or aliases, both known.
                    break;
                default:
                    // A table-valued function or table variable: its columns are not in the migrations.
                    _readsUnknownColumns = true;
                    break;
            }
        }

        public override void Visit(SelectScalarExpression node)
        {
            if (node.ColumnName?.Value is { } alias) _virtualColumns.Add(alias);
        }

        public override void Visit(DataModificationSpecification node)
        {
            // The outermost target is the statement's; OUTPUT inserted/deleted resolve to it.
            _target ??= node.Target;
            if (node.OutputIntoClause is { } into) Own(into.IntoTableColumns, into.IntoTable);
            switch (node)
            {
                case InsertSpecification insert:
                    Own(insert.Columns, node.Target);
                    break;
                case UpdateSpecification update:
                    Own(SetTargets(update.SetClauses), node.Target);
                    break;
                case MergeSpecification merge:
                    _mergeTargetAlias ??= merge.TableAlias;
                    foreach (var action in merge.ActionClauses.Select(a => a.Action))
                    {
                        if (action is InsertMergeAction insertAction) Own(insertAction.Columns, node.Target);
                        if (action is UpdateMergeAction updateAction) Own(SetTargets(updateAction.SetClauses), node.Target);
                    }

                    break;
            }
        }

        private void Own(IEnumerable<ColumnReferenceExpression> columns, TableReference table)
        {
            foreach (var column in columns) _ownedColumns[column] = table;
        }

        /// <summary>Unqualified SET columns (SET @variable = … has none); a qualified one resolves like any other.</summary>
        private static IEnumerable<ColumnReferenceExpression> SetTargets(IEnumerable<SetClause> clauses) =>
            clauses.OfType<AssignmentSetClause>().Select(s => s.Column).Where(c => c?.MultiPartIdentifier?.Count == 1);

        public IEnumerable<SqlProblem> Problems()
        {
            var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var exposedNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var tables = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var problems = new List<SqlProblem>();

            foreach (var reference in _tableReferences.Where(r => r.Alias is not null))
            {
                var name = reference.SchemaObject;
                if (IsSchemaTable(name) && !IsVirtual(name) && _schema.TryGetColumns(TSql.TableKey(name), out _))
                    aliases[reference.Alias.Value] = TSql.TableKey(name);
                else
                    // A CTE's, a temp table's or an unknown table's alias: nothing to check its columns against.
                    _virtualSources.Add(reference.Alias.Value);
            }

            foreach (var reference in _tableReferences)
            {
                var name = reference.SchemaObject;
                // UPDATE c ... FROM dbo.Cases c names its target by alias; a CTE is read like a table.
                if (IsVirtual(name) || (name.SchemaIdentifier is null && aliases.ContainsKey(name.BaseIdentifier.Value))) continue;
                if (!IsSchemaTable(name))
                {
                    _readsUnknownColumns = true;
                    continue;
                }

                var key = TSql.TableKey(name);
                if (!_schema.TryGetColumns(key, out _))
                {
                    // Its columns cannot be judged; the table is the one problem to report.
                    _readsUnknownColumns = true;
                    problems.Add(new SqlProblem(SqlProblem.UnknownTable, Text(name), "is not created by any migration"));
                    continue;
                }

                tables.Add(key);
                if (reference.Alias is null) exposedNames[name.BaseIdentifier.Value] = key;
            }

            var target = Resolve(_target, aliases);
            if (target is not null && _mergeTargetAlias is not null) aliases[_mergeTargetAlias.Value] = target;

            foreach (var column in _columnReferences.Where(c => c.ColumnType == ColumnType.Regular && c.MultiPartIdentifier is not null))
            {
                var parts = column.MultiPartIdentifier.Identifiers;
                var name = parts[^1].Value;
                if (_ownedColumns.TryGetValue(column, out var ownerReference))
                {
                    // An owner outside the schema (a table variable, a temp table) is not ours to check.
                    if (Resolve(ownerReference, aliases) is { } owner && !HasColumn(owner, name))
                        problems.Add(new SqlProblem(SqlProblem.UnknownColumn, name, $"is not a column of {owner}"));
                    continue;
                }

                if (parts.Count == 1)
                {
                    if (!_virtualColumns.Contains(name) && !_readsUnknownColumns && !tables.Any(t => HasColumn(t, name)))
                        problems.Add(new SqlProblem(SqlProblem.UnknownColumn, name, $"is not a column of any table the statement reads ({Listed(tables)})"));
                    continue;
                }

                var table = ResolveQualifier(parts, aliases, exposedNames, target, problems);
                if (table is not null && !HasColumn(table, name))
                    problems.Add(new SqlProblem(SqlProblem.UnknownColumn, name, $"is not a column of {table}"));
            }

            return problems.Distinct();
        }

        /// <summary>The schema table a qualified column belongs to, or null when it is not the schema's to check.</summary>
        private string? ResolveQualifier(
            IList<Identifier> parts, Dictionary<string, string> aliases, Dictionary<string, string> exposedNames, string? target, List<SqlProblem> problems)
        {
            if (parts.Count >= 3)
            {
                // [database.]schema.table.column
                var schemaName = parts[^3].Value;
                if (ExternalSchemas.Contains(schemaName)) return null;
                var key = $"{schemaName}.{parts[^2].Value}";
                if (_schema.TryGetColumns(key, out _)) return key;
                problems.Add(new SqlProblem(SqlProblem.UnknownTable, key, "is not created by any migration"));
                return null;
            }

            var qualifier = parts[0].Value;
            if (aliases.TryGetValue(qualifier, out var aliased)) return aliased;
            if (_virtualSources.Contains(qualifier)) return null;
            if (qualifier.Equals("inserted", StringComparison.OrdinalIgnoreCase) || qualifier.Equals("deleted", StringComparison.OrdinalIgnoreCase)) return target;
            if (exposedNames.TryGetValue(qualifier, out var exposed)) return exposed;
            if (_readsUnknownColumns) return null;
            problems.Add(new SqlProblem(SqlProblem.UnknownTable, qualifier, "is neither a table nor an alias of the statement"));
            return null;
        }

        /// <summary>The schema table a DML target or INTO table names, directly or by alias; null when it is not the schema's.</summary>
        private string? Resolve(TableReference? table, Dictionary<string, string> aliases) => table switch
        {
            NamedTableReference { SchemaObject: { SchemaIdentifier: null } name } when aliases.TryGetValue(name.BaseIdentifier.Value, out var aliased) => aliased,
            NamedTableReference { SchemaObject: var name } when IsSchemaTable(name) && _schema.TryGetColumns(TSql.TableKey(name), out _) => TSql.TableKey(name),
            _ => null,
        };

        /// <summary>A CTE read by name, like a table.</summary>
        private bool IsVirtual(SchemaObjectName name) => name.SchemaIdentifier is null && _virtualSources.Contains(name.BaseIdentifier.Value);

        private bool HasColumn(string table, string column) => _schema.TryGetColumns(table, out var columns) && columns.Contains(column);

        /// <summary>Temp tables and the catalog views are not the migrations' to describe.</summary>
        private static bool IsSchemaTable(SchemaObjectName name) =>
            !name.BaseIdentifier.Value.StartsWith('#') && !(name.SchemaIdentifier is { } schema && ExternalSchemas.Contains(schema.Value));

        private static string Text(SchemaObjectName name) => string.Join(".", name.Identifiers.Select(i => i.Value));

        private static string Listed(IEnumerable<string> tables) => string.Join(", ", tables.Order(StringComparer.OrdinalIgnoreCase)) is { Length: > 0 } list ? list : "none";
    }
}
