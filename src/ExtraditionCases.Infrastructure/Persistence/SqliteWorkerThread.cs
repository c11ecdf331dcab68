using System.Collections.Concurrent;

namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>
/// A thread of its own for a background writer's SQLite calls. Microsoft.Data.Sqlite has no asynchronous I/O: its
/// async methods block the calling thread through every read, write and fsync. The access-log writer commits every few
/// milliseconds under load, and the checkpointer fsyncs the database file; on the thread pool each held one of its
/// threads for as long as the disk took. When the disk stalled (fsyncs of 100-330 ms were seen on this machine's disk),
/// the two held both of a two-core machine's pool threads, and every request, reads included, waited for the disk
/// until the pool added a thread, which it does only after half a second (issue 20, tenth round). Here they block only
/// this thread; the caller awaits, its pool thread free.
/// </summary>
public sealed class SqliteWorkerThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private int _disposed;

    public SqliteWorkerThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>
    /// Runs <paramref name="work"/> on this thread; the task completes (on the pool) with its result or its exception.
    /// The work must be synchronous (SQLite's async methods are: they finish before they return): code after a true
    /// await inside it would run on the pool.
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(() =>
            {
                try
                {
                    done.SetResult(work());
                }
                catch (Exception ex)
                {
                    done.SetException(ex);
                }
            });
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(_thread.Name);
        }

        return done.Task;
    }

    private void Run()
    {
        try
        {
            foreach (var item in _work.GetConsumingEnumerable()) item();
        }
        finally
        {
            // Here, not in Dispose: a Dispose from this thread's own work must not pull the queue from under the loop.
            _work.Dispose();
        }
    }

    /// <summary>Lets the work already queued finish, then ends the thread; new work is refused.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _work.CompleteAdding();
        if (Thread.CurrentThread != _thread) _thread.Join();
    }
}
