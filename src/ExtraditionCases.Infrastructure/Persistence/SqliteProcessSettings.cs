namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>
/// SQLite's process-wide settings, made before its first use in the process (sqlite3_config refuses them after that).
/// <para>
/// <b>Memory statistics off.</b> With them on (SQLite's default), every allocation SQLite makes outside a connection's
/// lookaside takes one process-wide mutex to count it. Our connections keep their statements compiled
/// (<see cref="CachedStatementsConnection"/>), and those statements hold much of each connection's lookaside, so more of a
/// query's allocations went to the global allocator: with 16 searches at once on two cores, threads queued on that
/// mutex, and a search cost about 0.8 ms more CPU once the kept connections had run the history (issue 20, seventh
/// round; perf showed sqlite3Malloc's mutex). SQLite's own guidance lists SQLITE_DEFAULT_MEMSTATUS=0 among the options
/// for speed; nothing here reads what it counts (sqlite3_memory_used, the soft heap limit).
/// </para>
/// </summary>
public static class SqliteProcessSettings
{
    private const int SqliteConfigMemStatus = 9;

    /// <summary>Whether memory statistics are off; false when SQLite was already in use in this process when first asked.</summary>
    public static bool MemoryStatisticsOff { get; } = TurnOffMemoryStatistics();

    /// <summary>Makes the settings (once; the type's initialiser runs once, other threads wait for it).</summary>
    public static void Apply() => _ = MemoryStatisticsOff;

    private static bool TurnOffMemoryStatistics()
    {
        try
        {
            SQLitePCL.Batteries_V2.Init();
            return SQLitePCL.raw.sqlite3_config(SqliteConfigMemStatus, 0) == SQLitePCL.raw.SQLITE_OK;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            // A speed setting only: never a reason for the type, and every SQLite connection with it, to fail.
            return false;
        }
    }
}
