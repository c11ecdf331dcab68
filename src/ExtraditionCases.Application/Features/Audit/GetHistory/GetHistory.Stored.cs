using System.Text.Json;
using ExtraditionCases.Application.Features.Transparency;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain;

namespace ExtraditionCases.Application.Features.Audit;

public static partial class GetHistory
{
    /// <summary>
    /// A history as read: the rows with their data as the stored text. <see cref="WriteTo"/> writes the very bytes
    /// <c>JsonSerializer.Serialize(ToView(), CaseJson.Options)</c> gives, without building a JSON tree per event: the
    /// stored data was written by the same serializer and options (<c>Data.ToJsonString(CaseJson.Options)</c>),
    /// compact, so it is written raw (checked for well-formedness, not parsed into objects).
    /// </summary>
    public sealed record Stored(Guid CaseId, IReadOnlyList<StoredRow> Rows, HistoryTransparency? Transparency)
    {
        public string Head => Rows.Count == 0 ? CaseEvent.GenesisHash : Rows[^1].Hash.Trim();

        public View ToView() => new(CaseId, Head, [.. Rows.Select(r => r.ToEvent())], Transparency);

        /// <summary>The writer options the response needs to match the serializer's output byte for byte.</summary>
        public static JsonWriterOptions WriterOptions => new()
        {
            Encoder = CaseJson.Options.Encoder,
            Indented = false,
            MaxDepth = CaseJson.MaxDepth + 8,
            SkipValidation = false,
        };

        /// <summary>
        /// Writes the view; <paramref name="flush"/> is called once at least <paramref name="flushBytes"/> were written since
        /// the last call (by size, not every 64 events: a 1,000-event history is about 500 KB, and each flush is a send that
        /// contends with the writer for the response pipe; the profile showed that contention, issue 20).
        /// </summary>
        public async Task WriteTo(Utf8JsonWriter writer, Func<CancellationToken, ValueTask> flush, CancellationToken cancellationToken, int flushBytes = 128 * 1024)
        {
            long flushed = 0;
            writer.WriteStartObject();
            writer.WriteString("caseId"u8, CaseId);
            writer.WriteString("head"u8, Head);
            writer.WritePropertyName("events"u8);
            writer.WriteStartArray();
            for (var i = 0; i < Rows.Count; i++)
            {
                Write(writer, Rows[i]);
                if (writer.BytesCommitted + writer.BytesPending - flushed < flushBytes) continue;
                writer.Flush();
                flushed = writer.BytesCommitted;
                await flush(cancellationToken);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("transparency"u8);
            WriteTransparency(writer, Transparency);
            writer.WriteEndObject();
            writer.Flush();
            await flush(cancellationToken);
        }

        /// <summary>One event, members in the order of <see cref="CaseEvent"/>'s record (the serializer's order).</summary>
        private static void Write(Utf8JsonWriter writer, StoredRow row)
        {
            writer.WriteStartObject();
            writer.WriteNumber("sequence"u8, row.Sequence);
            writer.WriteString("type"u8, row.Type.Trim());
            NullableString(writer, "trigger"u8, row.Trigger?.Trim());
            NullableString(writer, "fromState"u8, row.FromState?.Trim());
            NullableString(writer, "toState"u8, row.ToState?.Trim());
            StoredInstant.Write(writer, "occurredAt"u8, row.OccurredAt);
            StoredInstant.Write(writer, "recordedAt"u8, row.RecordedAt);
            writer.WritePropertyName("actor"u8);
            writer.WriteStartObject();
            writer.WriteString("subject"u8, row.ActorSubject);
            writer.WriteString("role"u8, row.ActorRole);
            NullableString(writer, "agency"u8, row.ActorAgency);
            NullableString(writer, "country"u8, row.ActorCountry?.Trim());
            NullableString(writer, "issuer"u8, row.ActorIssuer);
            writer.WriteEndObject();
            writer.WritePropertyName("source"u8);
            writer.WriteStartObject();
            NullableString(writer, "requestId"u8, row.RequestId);
            NullableString(writer, "clientAddress"u8, row.ClientAddress);
            writer.WriteEndObject();
            NullableString(writer, "note"u8, row.Note);
            writer.WritePropertyName("data"u8);
            writer.WriteRawValue(row.Data);
            writer.WriteString("prevHash"u8, row.PrevHash.Trim());
            writer.WriteString("hash"u8, row.Hash.Trim());
            writer.WriteEndObject();
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
