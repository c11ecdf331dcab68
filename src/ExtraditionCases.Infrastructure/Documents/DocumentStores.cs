using System.Data;
using System.Data.Common;
using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Infrastructure.Documents;

/// <summary>What both providers' document stores share: the metadata row, written with Dapper in the request's transaction.</summary>
public abstract class DocumentStore(DatabaseSession session, DocumentStoreSql sql) : IDocumentStore
{
    /// <summary>Copies in chunks of this size: the most a document occupies in memory at once.</summary>
    protected const int ChunkBytes = 81920;

    protected DatabaseSession Session => session;

    protected DocumentStoreSql Sql => sql;

    public async Task AddAsync(StoredDocument document, Stream content, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql.InsertDocument, new
        {
            document.Id,
            document.CaseId,
            document.Sequence,
            document.Kind,
            document.Title,
            document.Language,
            document.TranslationOf,
            document.AssuranceKind,
            document.ReceivedOn,
            document.ReceivedFrom,
            document.FileName,
            document.MediaType,
            document.Size,
            document.Sha256,
            document.Supersedes,
            document.PrivateTo,
            document.Salt,
            document.UploadedAt,
            document.UploadedBy,
            document.UploadedByCountry,
            document.UploadedByIssuer,
        }, session.Transaction, cancellationToken: cancellationToken));
        await WriteContentAsync(connection, document.Id, document.Size, content, cancellationToken);
    }

    protected abstract Task WriteContentAsync(DbConnection connection, Guid documentId, long size, Stream content, CancellationToken cancellationToken);

    public abstract Task<Stream?> OpenContentAsync(Guid documentId, CancellationToken cancellationToken);

    /// <summary>Exactly <paramref name="size"/> bytes: a source that ends early or runs on is a fault, never a partial document.</summary>
    protected static async Task CopyExactlyAsync(Stream source, Stream target, long size, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkBytes];
        long copied = 0;
        int read;
        while ((read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, Math.Max(1, size - copied + 1))), cancellationToken)) > 0)
        {
            copied += read;
            if (copied > size) throw new InvalidOperationException("The document's content is longer than its recorded size.");
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        if (copied != size) throw new InvalidOperationException("The document's content is shorter than its recorded size.");
    }
}

/// <summary>SQLite: a zero-filled blob of the document's size, then incremental BLOB I/O (sqlite3_blob) in and out.</summary>
public sealed class SqliteDocumentStore(DatabaseSession session) : DocumentStore(session, DocumentStoreSql.Statements.Sqlite)
{
    protected override async Task WriteContentAsync(DbConnection connection, Guid documentId, long size, Stream content, CancellationToken cancellationToken)
    {
        var rowId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Sql.InsertContent,
            new { DocumentId = documentId, Size = size }, Session.Transaction, cancellationToken: cancellationToken));
        // The blob handle writes within the connection's open transaction: a rollback leaves no row.
        await using var blob = new SqliteBlob((SqliteConnection)connection, "DocumentContents", "Content", rowId);
        await CopyExactlyAsync(content, blob, size, cancellationToken);
    }

    public override async Task<Stream?> OpenContentAsync(Guid documentId, CancellationToken cancellationToken)
    {
        var connection = await Session.ConnectionAsync(cancellationToken);
        var rowId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(Sql.FindContent,
            new { DocumentId = documentId }, Session.Transaction, cancellationToken: cancellationToken));
        return rowId is { } id ? new SqliteBlob((SqliteConnection)connection, "DocumentContents", "Content", id, readOnly: true) : null;
    }
}

/// <summary>SQL Server: varbinary(max) written from a streamed parameter, read through a sequential reader's stream.</summary>
public sealed class SqlServerDocumentStore(DatabaseSession session) : DocumentStore(session, DocumentStoreSql.Statements.SqlServer)
{
    protected override async Task WriteContentAsync(DbConnection connection, Guid documentId, long size, Stream content, CancellationToken cancellationToken)
    {
        await using var command = (SqlCommand)connection.CreateCommand();
        command.CommandText = Sql.InsertContent;
        command.Transaction = (SqlTransaction?)Session.Transaction;
        command.Parameters.Add(new SqlParameter("@DocumentId", SqlDbType.UniqueIdentifier) { Value = documentId });
        // Size -1 with a Stream value: SqlClient sends the bytes in chunks as it reads them.
        command.Parameters.Add(new SqlParameter("@Content", SqlDbType.VarBinary, -1) { Value = new ExactLengthStream(content, size) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task<Stream?> OpenContentAsync(Guid documentId, CancellationToken cancellationToken)
    {
        var connection = await Session.ConnectionAsync(cancellationToken);
        var command = (SqlCommand)connection.CreateCommand();
        try
        {
            command.CommandText = Sql.FindContent;
            command.Transaction = (SqlTransaction?)Session.Transaction;
            command.Parameters.Add(new SqlParameter("@DocumentId", SqlDbType.UniqueIdentifier) { Value = documentId });
            var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                await reader.DisposeAsync();
                await command.DisposeAsync();
                return null;
            }

            return new ReaderStream(reader.GetStream(0), reader, command);
        }
        catch
        {
            await command.DisposeAsync();
            throw;
        }
    }

    /// <summary>The content stream of an open reader; disposing it closes the reader and its command.</summary>
    private sealed class ReaderStream(Stream inner, SqlDataReader reader, SqlCommand command) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await reader.DisposeAsync();
            await command.DisposeAsync();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                reader.Dispose();
                command.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Reads exactly the recorded size from its source, and refuses a source of any other length.</summary>
    private sealed class ExactLengthStream(Stream inner, long size) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => size;
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        private int Count(int read)
        {
            _read += read;
            if (_read > size || (read == 0 && _read != size))
                throw new InvalidOperationException("The document's content does not have its recorded size.");
            return read;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
