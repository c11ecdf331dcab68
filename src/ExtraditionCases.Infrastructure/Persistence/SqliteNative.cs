using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>Native SQLite calls Microsoft.Data.Sqlite does not offer, on the same bundled library (e_sqlite3) it loads.</summary>
internal static class SqliteNative
{
    private const int TxnNone = 0; // SQLITE_TXN_NONE

    /// <summary>
    /// No transaction of any kind on <paramref name="connection"/>'s schemas: neither a write one nor the read snapshot
    /// an unfinished statement or an open blob holds. <c>sqlite3_get_autocommit</c> sees only the first.
    /// </summary>
    public static bool OutsideAnyTransaction(SqliteConnection connection) =>
        TxnState(connection.Handle!.DangerousGetHandle(), IntPtr.Zero) == TxnNone;

    /// <summary>
    /// Turns on SQLite's query planner stability guarantee for <paramref name="connection"/> (open). Without it (SQLite's
    /// default) the planner may read a bound parameter's value, a LIMIT's among them, and marks the compiled statement
    /// expired whenever that parameter is bound again: a kept statement with <c>LIMIT @Limit</c> is then compiled again on
    /// every execution, so keeping it saves nothing (and one prepared per call is compiled twice).
    /// </summary>
    public static void EnablePlanStability(SqliteConnection connection)
    {
        var rc = SQLitePCL.raw.sqlite3_db_config(connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_ENABLE_QPSG, 1, out var enabled);
        if (rc != SQLitePCL.raw.SQLITE_OK || enabled != 1)
            throw new InvalidOperationException($"SQLite refused SQLITE_DBCONFIG_ENABLE_QPSG (rc {rc}).");
    }

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_txn_state", CallingConvention = CallingConvention.Cdecl)]
    private static extern int TxnState(IntPtr database, IntPtr schema);
}
