using ExtraditionCases.Application.Abstractions;
using System.Text.Json;
using ExtraditionCases.Application.Features.Transparency;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain;

namespace ExtraditionCases.Application.Features.Audit;

public static partial class GetHistory
{
    /// <summary>
    /// A history whose head is read and whose events are not yet: <see cref="WriteTo"/> streams them from the database
    /// into the writer, the very bytes <c>JsonSerializer.Serialize(await ToViewAsync(), CaseJson.Options)</c> gives, with no
    /// object per event and no string per column (issue 20). The stored data was written by the same serializer and
    /// options (<c>Data.ToJsonString(CaseJson.Options)</c>), compact, so it is written raw (checked for well-formedness,
    /// not parsed). Events are read up to <see cref="Through"/>, the head's sequence, so the head always closes them.
    /// </summary>
    public sealed class Stored(IDatabaseSession session, Guid caseId, string head, int through, HistoryTransparency? transparency)
    {
        public Guid CaseId => caseId;

        public string Head => head;

        /// <summary>The sequence of the event <see cref="Head"/> is the hash of; 0 for a case without events.</summary>
        public int Through => through;

        public HistoryTransparency? Transparency => transparency;

        /// <summary>The typed view (the NDJSON and CSV exports, and the in-process query), read from the same statement.</summary>
        public async Task<View> ToViewAsync(CancellationToken cancellationToken)
        {
            var events = new List<CaseEvent>(through);
            await ReadAsync(row => events.Add(StoredRow.From(row).ToEvent()), cancellationToken);
            return new View(caseId, head, events, transparency);
        }

        private Task ReadAsync(Action<IStreamedRow> onRow, CancellationToken cancellationToken) =>
            through == 0 ? Task.CompletedTask : session.StreamAsync(Sql.StoredEvents, new { CaseId = caseId, Through = through }, onRow, cancellationToken);

        /// <summary>The writer options the response needs to match the serializer's output byte for byte.</summary>
        public static JsonWriterOptions WriterOptions => new()
        {
            Encoder = CaseJson.Options.Encoder,
            Indented = false,
            MaxDepth = CaseJson.MaxDepth + 8,
            SkipValidation = false,
        };

        /// <summary>
        /// Writes the whole view into <paramref name="writer"/> and flushes the writer (not the sink): a response sends it
        /// after the statement is done, so that the database read never waits on a slow client (a SQLite read left open
        /// would hold the write-ahead log back from its checkpoint for as long).
        /// </summary>
        public async Task WriteTo(Utf8JsonWriter writer, CancellationToken cancellationToken)
        {
            writer.WriteStartObject();
            writer.WriteString("caseId"u8, caseId);
            writer.WriteString("head"u8, head);
            writer.WritePropertyName("events"u8);
            writer.WriteStartArray();
            await ReadAsync(row => Write(writer, row), cancellationToken);
            writer.WriteEndArray();
            writer.WritePropertyName("transparency"u8);
            WriteTransparency(writer, transparency);
            writer.WriteEndObject();
            writer.Flush();
        }

        /// <summary>One event, members in the order of <see cref="CaseEvent"/>'s record (the serializer's order), columns in statement order.</summary>
        private static void Write(Utf8JsonWriter writer, IStreamedRow row)
        {
            writer.WriteStartObject();
            writer.WriteNumber("sequence"u8, row.GetInt64(StoredRow.Sequence));
            writer.WriteString("type"u8, Code(row.GetUtf8(StoredRow.Type)));
            NullableString(writer, "trigger"u8, row, StoredRow.Trigger, trim: true);
            NullableString(writer, "fromState"u8, row, StoredRow.FromState, trim: true);
            NullableString(writer, "toState"u8, row, StoredRow.ToState, trim: true);
            StoredInstant.Write(writer, "occurredAt"u8, row.GetUtf8(StoredRow.OccurredAt));
            StoredInstant.Write(writer, "recordedAt"u8, row.GetUtf8(StoredRow.RecordedAt));
            writer.WritePropertyName("actor"u8);
            writer.WriteStartObject();
            writer.WriteString("subject"u8, row.GetUtf8(StoredRow.ActorSubject));
            writer.WriteString("role"u8, row.GetUtf8(StoredRow.ActorRole));
            NullableString(writer, "agency"u8, row, StoredRow.ActorAgency);
            NullableString(writer, "country"u8, row, StoredRow.ActorCountry, trim: true);
            NullableString(writer, "issuer"u8, row, StoredRow.ActorIssuer);
            writer.WriteEndObject();
            writer.WritePropertyName("source"u8);
            writer.WriteStartObject();
            NullableString(writer, "requestId"u8, row, StoredRow.RequestId);
            NullableString(writer, "clientAddress"u8, row, StoredRow.ClientAddress);
            writer.WriteEndObject();
            NullableString(writer, "note"u8, row, StoredRow.Note);
            writer.WritePropertyName("data"u8);
            writer.WriteRawValue(row.GetUtf8(StoredRow.Data));
            writer.WriteString("prevHash"u8, Code(row.GetUtf8(StoredRow.PrevHash)));
            writer.WriteString("hash"u8, Code(row.GetUtf8(StoredRow.Hash)));
            writer.WriteEndObject();
        }

        /// <summary>
        /// Codes and hashes sit in fixed-width <c>nchar</c> columns on SQL Server, padded with spaces: trimmed as
        /// <see cref="StoredRow.ToEvent"/> trims them (they are ASCII).
        /// </summary>
        private static ReadOnlySpan<byte> Code(ReadOnlySpan<byte> stored) => stored[System.Text.Ascii.Trim(stored)];

        private static void NullableString(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IStreamedRow row, int ordinal, bool trim = false)
        {
            if (row.IsNull(ordinal)) writer.WriteNull(name);
            else writer.WriteString(name, trim ? Code(row.GetUtf8(ordinal)) : row.GetUtf8(ordinal));
        }

        /// <summary>
        /// <see cref="HistoryTransparency"/> as the serializer writes it (members in the record's order; strings through this
        /// writer's encoder, as the serializer's are when it writes into a writer), without its reflection over a leaf per event.
        /// </summary>
        private static void WriteTransparency(Utf8JsonWriter writer, HistoryTransparency? transparency)
        {
            if (transparency is null)
            {
                writer.WriteNullValue();
                return;
            }

            writer.WriteStartObject();
            writer.WriteString("tree"u8, transparency.Tree);
            if (transparency.TreeSize is { } size) writer.WriteNumber("treeSize"u8, size);
            else writer.WriteNull("treeSize"u8);
            NullableString(writer, "rootHash"u8, transparency.RootHash);
            NullableString(writer, "checkpoint"u8, transparency.Checkpoint);
            writer.WritePropertyName("leaves"u8);
            writer.WriteStartArray();
            foreach (var leaf in transparency.Leaves)
            {
                writer.WriteStartObject();
                writer.WriteNumber("sequence"u8, leaf.Sequence);
                writer.WriteNumber("leafIndex"u8, leaf.LeafIndex);
                writer.WritePropertyName("proof"u8);
                if (leaf.Proof is null) writer.WriteNullValue();
                else
                {
                    writer.WriteStartArray();
                    foreach (var node in leaf.Proof) writer.WriteStringValue(node);
                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        private static void NullableString(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
        {
            if (value is null) writer.WriteNull(name);
            else writer.WriteString(name, value);
        }
    }
}
