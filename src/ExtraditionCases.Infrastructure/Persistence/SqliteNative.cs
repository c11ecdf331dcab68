using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>SQLite calls SQLitePCLRaw does not wrap, on the same bundled library (e_sqlite3) Microsoft.Data.Sqlite loads.</summary>
internal static class SqliteNative
{
    private const int TxnNone = 0; // SQLITE_TXN_NONE

    /// <summary>
    /// No transaction of any kind on <paramref name="connection"/>'s schemas: neither a write one nor the read snapshot
    /// an unfinished statement or an open blob holds. <c>sqlite3_get_autocommit</c> sees only the first.
    /// </summary>
    public static bool OutsideAnyTransaction(SqliteConnection connection) =>
        TxnState(connection.Handle!.DangerousGetHandle(), IntPtr.Zero) == TxnNone;

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_txn_state", CallingConvention = CallingConvention.Cdecl)]
    private static extern int TxnState(IntPtr database, IntPtr schema);
}
