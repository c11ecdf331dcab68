using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Data.SqlClient;
using Microsoft.Data.SqlClient.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Support;

/// <summary>
/// The SQL texts the database engines themselves ran against the databases the contract fixtures
/// created: the evidence behind <c>StatementCoverageTests</c>. Nothing here depends on Dapper or on the
/// stores under test, and no test declares what it covers; the drivers tell.
/// <list type="bullet">
/// <item>SQLite: an auto-extension installs a trace hook (<c>sqlite3_trace_v2</c>, SQLITE_TRACE_STMT) on
/// every connection the process opens from then on; the hook records each prepared statement the
/// engine starts running, with the file it runs against.</item>
/// <item>SQL Server: SqlClient's diagnostic listener reports every command it completed without error
/// (WriteCommandAfter), with the database it ran in.</item>
/// </list>
/// Only databases handed to <see cref="Watch"/> count: the HTTP tests' files, which run the same
/// statements, do not.
/// </summary>
public static class StatementLedger
{
    private const uint TraceStatement = 0x01;

    private static readonly ConcurrentDictionary<string, DatabaseProvider> Watched = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(DatabaseProvider Provider, string Sql), byte> Ran = new();
    private static readonly ConcurrentDictionary<(Type Fixture, DatabaseProvider Provider), byte> Finished = new();
    private static readonly Lazy<bool> Hooks = new(InstallHooks, LazyThreadSafetyMode.ExecutionAndPublication);

    // Rooted for the life of the process: native code holds pointers to them.
    private static readonly AutoExtension AutoExtensionEntry = OnConnectionOpened;
    private static readonly TraceCallback TraceEntry = OnTrace;
    private static readonly IntPtr TracePointer = Marshal.GetFunctionPointerForDelegate(TraceEntry);
    private static readonly SqlClientObserver SqlClient = new();
    private static readonly IntPtr MainSchema = Marshal.StringToCoTaskMemUTF8("main");

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int AutoExtension(IntPtr db, IntPtr errorMessage, IntPtr api);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int TraceCallback(uint type, IntPtr context, IntPtr statement, IntPtr detail);

    /// <summary>Hooks into both drivers, once. SQLite connections opened (and pooled) before this are never traced.</summary>
    public static void Install() => _ = Hooks.Value;

    /// <summary>Counts what runs against this database from now on, on connections opened after <see cref="Install"/>.</summary>
    public static void Watch(DatabaseOptions options)
    {
        Install();
        Watched[KeyOf(options)] = options.Provider;
    }

    /// <summary>Every SQL text the provider's engine ran against a watched database, trimmed.</summary>
    public static IReadOnlySet<string> RanOn(DatabaseProvider provider) =>
        Ran.Keys.Where(k => k.Provider == provider).Select(k => k.Sql).ToHashSet(StringComparer.Ordinal);

    public static void FixtureFinished(Type fixture, DatabaseProvider provider) => Finished[(fixture, provider)] = 0;

    public static bool HasFinished(Type fixture, DatabaseProvider provider) => Finished.ContainsKey((fixture, provider));

    /// <summary>Statements are compared as written in their Dialect record, give or take surrounding blanks and a final semicolon.</summary>
    public static string Normalize(string sql) => sql.Trim().TrimEnd(';').TrimEnd();

    /// <summary>The statements of a command text, split at semicolons outside quotes and identifiers.</summary>
    public static IReadOnlyList<string> Parts(string sql)
    {
        var parts = new List<string>();
        var start = 0;
        char? quote = null;
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (quote is { } open)
            {
                if (c == open) quote = null;
            }
            else if (c is '\'' or '"' or '[')
            {
                quote = c == '[' ? ']' : c;
            }
            else if (c == ';')
            {
                parts.Add(sql[start..i]);
                start = i + 1;
            }
        }

        parts.Add(sql[start..]);
        return [.. parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(Normalize)];
    }

    private static string KeyOf(DatabaseOptions options) => options.Provider == DatabaseProvider.SqlServer
        ? new SqlConnectionStringBuilder(options.ConnectionString).InitialCatalog
        : SqliteKey(new SqliteConnectionStringBuilder(options.ConnectionString).DataSource);

    // Each test database is a file in a folder of its own with a unique name; SQLite may report the file's
    // path with symbolic links resolved, so the folder's name is the key rather than the whole path.
    private static string SqliteKey(string path) => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? path;

    private static void Record(DatabaseProvider provider, string? sql)
    {
        if (!string.IsNullOrWhiteSpace(sql)) Ran[(provider, Normalize(sql))] = 0;
    }

    private static bool InstallHooks()
    {
        // Loads the bundled SQLite first, so the auto-extension lands in the library the driver uses.
        SQLitePCL.Batteries_V2.Init();
        var result = NativeMethods.sqlite3_auto_extension(Marshal.GetFunctionPointerForDelegate(AutoExtensionEntry));
        if (result != 0) throw new InvalidOperationException($"sqlite3_auto_extension failed with {result}.");
        DiagnosticListener.AllListeners.Subscribe(SqlClient);
        return true;
    }

    private static int OnConnectionOpened(IntPtr db, IntPtr errorMessage, IntPtr api) =>
        NativeMethods.sqlite3_trace_v2(db, TraceStatement, TracePointer, IntPtr.Zero);

    private static int OnTrace(uint type, IntPtr context, IntPtr statement, IntPtr detail)
    {
        // Never let an exception unwind into SQLite.
        try
        {
            var file = Marshal.PtrToStringUTF8(NativeMethods.sqlite3_db_filename(NativeMethods.sqlite3_db_handle(statement), MainSchema));
            if (!string.IsNullOrEmpty(file) && Watched.TryGetValue(SqliteKey(file), out var provider) && provider == DatabaseProvider.Sqlite)
                Record(DatabaseProvider.Sqlite, Marshal.PtrToStringUTF8(NativeMethods.sqlite3_sql(statement)));
        }
        catch (Exception)
        {
            // Whatever went wrong, this statement is not counted; an exception must not reach native code.
        }

        return 0;
    }

    private sealed class SqlClientObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "SqlClientDiagnosticListener") value.Subscribe(this);
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Value is SqlClientCommandAfter { Command: { Connection.Database: { } database } command }
                && Watched.TryGetValue(database, out var provider) && provider == DatabaseProvider.SqlServer)
            {
                Record(DatabaseProvider.SqlServer, command.CommandText);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private static class NativeMethods
    {
        // The SQLite library Microsoft.Data.Sqlite loads (SQLitePCLRaw's bundle).
        private const string Library = "e_sqlite3";

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern int sqlite3_auto_extension(IntPtr entryPoint);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern int sqlite3_trace_v2(IntPtr db, uint mask, IntPtr callback, IntPtr context);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern IntPtr sqlite3_db_handle(IntPtr statement);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern IntPtr sqlite3_db_filename(IntPtr db, IntPtr schema);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        public static extern IntPtr sqlite3_sql(IntPtr statement);
    }
}
