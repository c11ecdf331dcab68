using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.History;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Transparency;

/// <summary>A database administrator with write access to the SQLite file: what the evidence must hold against.</summary>
public sealed class Dba(string databasePath)
{
    public async Task<int> RunAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public Task DropAppendOnlyTriggersAsync() => RunAsync("""
        DROP TRIGGER IF EXISTS TR_CaseEvents_NoUpdate; DROP TRIGGER IF EXISTS TR_CaseEvents_NoDelete;
        DROP TRIGGER IF EXISTS TR_TransparencyLeaves_NoUpdate; DROP TRIGGER IF EXISTS TR_TransparencyLeaves_NoDelete;
        DROP TRIGGER IF EXISTS TR_TransparencyNodes_NoUpdate; DROP TRIGGER IF EXISTS TR_TransparencyNodes_NoDelete;
        DROP TRIGGER IF EXISTS TR_TransparencyCheckpoints_NoUpdate; DROP TRIGGER IF EXISTS TR_TransparencyCheckpoints_NoDelete;
        """);

    /// <summary>
    /// Rewrites one event's note (a history as exported: the JSON events) and recomputes that hash and every later
    /// one, the case's head, and the event's leaves in every tree: everything a careful administrator can redo.
    /// </summary>
    public Task RewriteNoteAsync(string caseId, JsonArray events, int sequence, string note) =>
        RewriteEventAsync(caseId, events, sequence, e => e["note"] = note);

    /// <summary>Rewrites one event (its note or data) as <see cref="RewriteNoteAsync"/> does, recomputing every hash, the head and the leaves.</summary>
    public async Task RewriteEventAsync(string caseId, JsonArray events, int sequence, Action<JsonObject> edit)
    {
        await DropAppendOnlyTriggersAsync();
        var prev = CaseEvent.GenesisHash;
        foreach (var node in events)
        {
            var e = node!.AsObject();
            var n = (int)e["sequence"]!;
            if (n == sequence) edit(e);
            e["prevHash"] = prev;
            e.Remove("hash");
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prev + "\n" + Jcs.Canonicalize(e))));
            e["hash"] = hash;
            if (n >= sequence)
            {
                await RunAsync("UPDATE CaseEvents SET Note = $note, Data = $data, PrevHash = $prev, Hash = $hash WHERE CaseId = $id AND Sequence = $n",
                    ("$note", (object?)(string?)e["note"] ?? DBNull.Value), ("$data", e["data"]!.ToJsonString()), ("$prev", prev), ("$hash", hash), ("$id", caseId), ("$n", n));
                await RunAsync("UPDATE TransparencyLeaves SET EntryHash = $hash WHERE CaseId = $id AND Sequence = $n", ("$hash", hash), ("$id", caseId), ("$n", n));
            }

            prev = hash;
        }

        await RunAsync("UPDATE Cases SET HeadHash = $head WHERE Id = $id", ("$head", prev), ("$id", caseId));
    }
}
