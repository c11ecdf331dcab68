using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// SQLite's process settings (memory statistics off) can only be made before SQLite's first use in a process, so they
/// are checked in the real service started as its own process, as it runs in production, not in this test process.
/// </summary>
public sealed class SqliteProcessSettingsTests
{
    [Test]
    public async Task The_service_turns_sqlite_memory_statistics_off_before_its_first_connection()
    {
        var folder = Path.Combine(Path.GetTempPath(), "extradition-sqlite-settings", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string output;
            await using (var service = await ServiceProcess.StartAsync(folder, Path.Combine(folder, "cases.db")))
            {
                var pk = service.ClientFor(Tokens.Officer("PK"));
                await Cases.FileAsync(pk);
                Assert.That(await service.StopAsync(), Is.Zero);
                output = await service.OutputAsync();
            }

            Assert.Multiple(() =>
            {
                Assert.That(output, Does.Contain("SQLite memory statistics are off"));
                Assert.That(output, Does.Not.Contain("SQLite was in use before its process settings could be made"));
            });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
