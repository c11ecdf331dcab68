using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// A save rewrites a case's clock rows only when its clocks changed (issue 20): a step that leaves them as
/// stored touches none of their rows, and after every step the stored rows are the clocks the case shows.
/// </summary>
public sealed class ClockRewriteTests
{
    [Test]
    public async Task Unchanged_clocks_are_left_alone_and_changed_ones_are_stored_as_the_case_shows_them()
    {
        using var api = new ApiFactory();
        var driver = await CaseDriver.FileAsync(api);
        await using (var connection = await ConnectionFactory.OpenAsync(api.Database, CancellationToken.None))
        {
            // A probe of this test's own file: every clock row deleted or inserted is counted.
            await connection.ExecuteAsync("""
                CREATE TABLE ClockWrites (Id INTEGER PRIMARY KEY, Kind TEXT NOT NULL);
                CREATE TRIGGER TR_Probe_ClockDeleted AFTER DELETE ON Deadlines BEGIN INSERT INTO ClockWrites (Kind) VALUES ('delete'); END;
                CREATE TRIGGER TR_Probe_ClockInserted AFTER INSERT ON Deadlines BEGIN INSERT INTO ClockWrites (Kind) VALUES ('insert'); END;
                """);
        }

        // Provisional arrest starts clocks: they are written.
        await driver.FireAsync("GB", "ProvisionalArrest");
        Assert.That(await Writes(api), Is.GreaterThan(0), "new clocks are inserted");
        await AssertStoredAsShown(api, driver);
        await Reset(api);

        // A change to the case file moves no clock: no clock row is deleted or inserted.
        var patched = await driver.PatchAsync("PK", new JsonObject { ["requestingAuthority"] = "MOI" });
        Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK), await patched.Content.ReadAsStringAsync());
        Assert.That(await Writes(api), Is.Zero, "unchanged clocks are not rewritten");
        await AssertStoredAsShown(api, driver, await patched.ReadObjectAsync());

        // The full request meets the provisional-arrest clock and starts others: rewritten, and stored as shown.
        await driver.FireAsync("GB", "ReceiveFullRequest", new JsonObject { ["certificateReference"] = "HO-70-1" });
        Assert.That(await Writes(api), Is.GreaterThan(0), "changed clocks are rewritten");
        await AssertStoredAsShown(api, driver);
    }

    private static async Task AssertStoredAsShown(ApiFactory api, CaseDriver driver, JsonObject? view = null)
    {
        view ??= driver.Last;
        await using var connection = await ConnectionFactory.OpenAsync(api.Database, CancellationToken.None);
        var stored = (await connection.QueryAsync<(string Kind, string DueAt)>(
            "SELECT Kind, DueAt FROM Deadlines WHERE lower(CaseId) = lower(@Id) ORDER BY Ordinal", new { Id = driver.Id })).ToList();

        var shown = view["deadlines"]!.AsArray().Select(d => ((string)d!["kind"]!, DateTimeOffset.Parse((string)d["dueAt"]!, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.That(stored.Select(s => (s.Kind, DateTimeOffset.Parse(s.DueAt, System.Globalization.CultureInfo.InvariantCulture))).ToList(), Is.EqualTo(shown));
    }

    private static async Task<long> Writes(ApiFactory api)
    {
        await using var connection = await ConnectionFactory.OpenAsync(api.Database, CancellationToken.None);
        return await connection.QuerySingleAsync<long>("SELECT COUNT(*) FROM ClockWrites");
    }

    private static async Task Reset(ApiFactory api)
    {
        await using var connection = await ConnectionFactory.OpenAsync(api.Database, CancellationToken.None);
        await connection.ExecuteAsync("DELETE FROM ClockWrites");
    }
}
