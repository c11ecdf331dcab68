using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ExtraditionCases.Benchmarks.Load;

/// <summary>One request of a scenario, as the generator sends it (both generators send the same headers).</summary>
internal sealed record LoadRequest(string Method, string Path, string Token, byte[]? Body = null, string? IfNoneMatch = null, string? IfMatch = null);

/// <summary>What a scenario needs back: the status, and the ETag for the transition scenario's next If-Match.</summary>
internal readonly record struct LoadResponse(int Status, string? ETag);

/// <summary>
/// The load generator's HTTP client. On this two-core machine the generator shares the cores with the server it
/// measures, so every microsecond it spends per request is taken from the server at saturation, equally for
/// ours and the baseline but not equally for a cheap request and a dear one (docs/benchmarks.md, fifteenth round).
/// </summary>
internal abstract class LoadClient : IDisposable
{
    public abstract string Name { get; }

    /// <summary>Sends the request, reads the whole response, and returns its status (and ETag).</summary>
    public abstract Task<LoadResponse> SendAsync(LoadRequest request, CancellationToken ct);

    public abstract void Dispose();

    /// <summary>--generator raw (default) or httpclient (the generator of every run before the fifteenth round).</summary>
    public static LoadClient For(string? generator, Uri baseAddress) => generator switch
    {
        null or "raw" => new RawHttpLoadClient(baseAddress),
        "httpclient" => new HttpClientLoadClient(baseAddress),
        _ => throw new ArgumentException("--generator is raw or httpclient."),
    };

    /// <summary>Sends and says whether the status was the expected one (noting what came instead).</summary>
    public async Task<bool> ExpectAsync(LoadRequest request, HttpStatusCode expected, CancellationToken ct)
    {
        var response = await SendAsync(request, ct);
        if (response.Status == (int)expected) return true;
        Errors.Note($"{response.Status} from {request.Method} {request.Path}");
        return false;
    }
}

/// <summary>The .NET HttpClient (SocketsHttpHandler, HTTP/1.1, up to 512 connections): general, and about 35-45 µs of CPU a request.</summary>
internal sealed class HttpClientLoadClient(Uri baseAddress) : LoadClient
{
    private readonly HttpClient _client = Requests.Client(baseAddress);

    public override string Name => "httpclient";

    public override async Task<LoadResponse> SendAsync(LoadRequest request, CancellationToken ct)
    {
        using var message = request.Body is null ? Requests.Get(request.Path, request.Token) : Requests.Post(request.Path, request.Token, request.Body, request.IfMatch);
        if (request.IfNoneMatch is not null) message.Headers.TryAddWithoutValidation("If-None-Match", request.IfNoneMatch);
        using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
        await response.Content.CopyToAsync(Stream.Null, ct);
        return new LoadResponse((int)response.StatusCode, response.Headers.ETag?.Tag);
    }

    public override void Dispose() => _client.Dispose();
}

/// <summary>
/// A minimal HTTP/1.1 client over sockets, in the manner of wrk: keep-alive connections (up to 512, one request at a
/// time each, as HttpClient's HTTP/1.1), the request written from one buffer, the response's status line and the
/// few headers that matter parsed in place, the body (Content-Length or chunked) read and dropped. It sends the
/// same request line and headers as <see cref="HttpClientLoadClient"/> (Host, Authorization, the conditional
/// headers, Content-Type and Content-Length); it only spends less CPU doing it.
/// </summary>
internal sealed class RawHttpLoadClient : LoadClient
{
    private const int MaxConnections = 512;

    private readonly IPEndPoint _endPoint;
    private readonly string _host;
    private readonly ConcurrentStack<Connection> _idle = new();
    private readonly SemaphoreSlim _permits = new(MaxConnections);

    public RawHttpLoadClient(Uri baseAddress)
    {
        if (!IPAddress.TryParse(baseAddress.Host, out var address)) throw new ArgumentException($"The raw generator needs an IP address, not {baseAddress.Host}.");
        _endPoint = new IPEndPoint(address, baseAddress.Port);
        _host = baseAddress.Authority;
    }

    public override string Name => "raw";

    public override async Task<LoadResponse> SendAsync(LoadRequest request, CancellationToken ct)
    {
        await _permits.WaitAsync(ct);
        byte[]? buffer = null;
        try
        {
            buffer = ArrayPool<byte>.Shared.Rent(1024 + request.Token.Length + request.Path.Length + (request.Body?.Length ?? 0));
            var length = Format(request, buffer);
            // A kept connection the server closed while idle fails before any byte of a response: try once more, on a new one.
            for (var attempt = 0; ; attempt++)
            {
                Connection? connection = null;
                var reused = attempt == 0 && _idle.TryPop(out connection);
                connection ??= await Connection.OpenAsync(_endPoint, ct);
                try
                {
                    var (response, keepAlive) = await connection.ExchangeAsync(buffer.AsMemory(0, length), ct);
                    if (keepAlive) _idle.Push(connection);
                    else connection.Dispose();
                    return response;
                }
                catch (Exception ex) when (ex is IOException or SocketException)
                {
                    var retry = reused && !connection.ReceivedAny;
                    connection.Dispose();
                    if (!retry)
                    {
                        if (ex is IOException) throw;
                        throw new IOException(ex.Message, ex);
                    }
                }
                catch
                {
                    // Cancelled mid-exchange (or anything else): the connection's state is unknown, so it is not kept.
                    connection.Dispose();
                    throw;
                }
            }
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
            _permits.Release();
        }
    }

    private int Format(LoadRequest request, byte[] buffer)
    {
        var text = new StringBuilder(256 + request.Token.Length)
            .Append(request.Method).Append(' ').Append(request.Path).Append(" HTTP/1.1\r\nHost: ").Append(_host)
            .Append("\r\nAuthorization: Bearer ").Append(request.Token).Append("\r\n");
        if (request.IfNoneMatch is not null) text.Append("If-None-Match: ").Append(request.IfNoneMatch).Append("\r\n");
        if (request.IfMatch is not null) text.Append("If-Match: ").Append(request.IfMatch).Append("\r\n");
        if (request.Body is not null)
            text.Append("Content-Type: application/json\r\nContent-Length: ").Append(request.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        text.Append("\r\n");
        var length = Encoding.ASCII.GetBytes(text.ToString(), buffer);
        if (request.Body is not null)
        {
            request.Body.CopyTo(buffer, length);
            length += request.Body.Length;
        }

        return length;
    }

    public override void Dispose()
    {
        while (_idle.TryPop(out var connection)) connection.Dispose();
    }

    private sealed class Connection : IDisposable
    {
        private const int BufferSize = 16 * 1024;

        private readonly Socket _socket;
        private readonly byte[] _buffer = new byte[BufferSize];
        private int _start, _end;

        private Connection(Socket socket) => _socket = socket;

        /// <summary>Whether any byte of the current response arrived (a kept connection's failure before that is retried).</summary>
        public bool ReceivedAny { get; private set; }

        public static async Task<Connection> OpenAsync(IPEndPoint endPoint, CancellationToken ct)
        {
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endPoint, ct);
                return new Connection(socket);
            }
            catch (SocketException ex)
            {
                // Counted as a failed request by the load runner, as HttpClient's HttpRequestException was.
                socket.Dispose();
                throw new IOException(ex.Message, ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        public async Task<(LoadResponse Response, bool KeepAlive)> ExchangeAsync(ReadOnlyMemory<byte> request, CancellationToken ct)
        {
            ReceivedAny = false;
            // One request at a time: bytes left over from the last response would be read as this one's.
            if (_start != _end) throw new IOException("Unread bytes after the previous response.");
            _start = _end = 0;
            while (!request.IsEmpty)
            {
                var sent = await _socket.SendAsync(request, SocketFlags.None, ct);
                request = request[sent..];
            }

            int status;
            long contentLength;
            bool chunked, keepAlive;
            string? etag;
            do
            {
                // An interim 1xx (never asked for: no Expect is sent) precedes the final response: skip it.
                var headerEnd = await ReadHeadAsync(ct);
                (status, contentLength, chunked, keepAlive, etag) = ParseHead(_buffer.AsSpan(_start, headerEnd - _start));
                _start = headerEnd;
            }
            while (status is >= 100 and < 200 and not 101);

            if (status is 101) throw new IOException("The server switched protocols.");
            if (status is 204 or 304) return (new LoadResponse(status, etag), keepAlive);
            if (chunked) await SkipChunkedAsync(ct);
            else if (contentLength >= 0) await SkipAsync(contentLength, ct);
            else
            {
                // No length: the body runs to the end of the connection.
                do _start = _end = 0;
                while (await ReceiveAsync(ct, throwAtEnd: false) > 0);
                keepAlive = false;
            }

            return (new LoadResponse(status, etag), keepAlive);
        }

        /// <summary>Reads until the blank line that ends the head; returns the index just past it.</summary>
        private async Task<int> ReadHeadAsync(CancellationToken ct)
        {
            var searched = _start;
            while (true)
            {
                var at = _buffer.AsSpan(searched, _end - searched).IndexOf("\r\n\r\n"u8);
                if (at >= 0) return searched + at + 4;
                searched = MakeRoom(Math.Max(_start, _end - 3));
                await ReceiveAsync(ct);
            }
        }

        private static (int Status, long ContentLength, bool Chunked, bool KeepAlive, string? ETag) ParseHead(ReadOnlySpan<byte> head)
        {
            // "HTTP/1.1 200 OK"
            if (head.Length < 12 || !head.StartsWith("HTTP/1."u8)) throw new IOException("Not an HTTP/1.x response.");
            var status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
            long contentLength = -1;
            bool chunked = false, keepAlive = head[7] == (byte)'1';
            string? etag = null;
            var lineEnd = head.IndexOf("\r\n"u8);
            var rest = head[(lineEnd + 2)..];
            while (true)
            {
                lineEnd = rest.IndexOf("\r\n"u8);
                if (lineEnd <= 0) break;
                var line = rest[..lineEnd];
                rest = rest[(lineEnd + 2)..];
                var colon = line.IndexOf((byte)':');
                if (colon <= 0) continue;
                var name = line[..colon];
                var value = line[(colon + 1)..].Trim((byte)' ');
                if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
                {
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out contentLength)) throw new IOException("A bad Content-Length.");
                }
                else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8)) chunked = value.EndsWith("chunked"u8);
                else if (Ascii.EqualsIgnoreCase(name, "connection"u8)) keepAlive = !Ascii.EqualsIgnoreCase(value, "close"u8);
                else if (Ascii.EqualsIgnoreCase(name, "etag"u8)) etag = Encoding.ASCII.GetString(value);
            }

            return (status, contentLength, chunked, keepAlive, etag);
        }

        private async Task SkipChunkedAsync(CancellationToken ct)
        {
            while (true)
            {
                var line = await ReadLineAsync(ct);
                var size = line.Span;
                if (size.IndexOf((byte)';') is var semicolon and >= 0) size = size[..semicolon];
                if (!long.TryParse(size.Trim((byte)' '), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length) || length < 0)
                    throw new IOException("A bad chunk size.");
                if (length == 0)
                {
                    // Trailers, if any, then the blank line.
                    while ((await ReadLineAsync(ct)).Length > 0)
                    {
                    }

                    return;
                }

                await SkipAsync(length, ct);
                if ((await ReadLineAsync(ct)).Length != 0) throw new IOException("A chunk without its CRLF.");
            }
        }

        /// <summary>The next line (without its CRLF), valid until the next read.</summary>
        private async Task<ReadOnlyMemory<byte>> ReadLineAsync(CancellationToken ct)
        {
            var searched = _start;
            while (true)
            {
                var at = _buffer.AsSpan(searched, _end - searched).IndexOf("\r\n"u8);
                if (at >= 0)
                {
                    var line = _buffer.AsMemory(_start, searched + at - _start);
                    _start = searched + at + 2;
                    return line;
                }

                searched = MakeRoom(Math.Max(_start, _end - 1));
                await ReceiveAsync(ct);
            }
        }

        private async Task SkipAsync(long count, CancellationToken ct)
        {
            while (true)
            {
                var available = _end - _start;
                if (available >= count)
                {
                    _start += (int)count;
                    return;
                }

                count -= available;
                _start = _end = 0;
                await ReceiveAsync(ct);
            }
        }

        /// <summary>
        /// Room to receive into: an empty buffer starts again at 0, a full one moves its unread bytes to the front.
        /// Returns where the search for a delimiter goes on after that.
        /// </summary>
        private int MakeRoom(int searched)
        {
            if (_start == _end)
            {
                _start = _end = 0;
                return 0;
            }

            if (_end < _buffer.Length) return searched;
            if (_start == 0) throw new IOException($"A response head or chunk line over {BufferSize} bytes.");
            var moved = _start;
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= moved;
            _start = 0;
            return searched - moved;
        }

        private async Task<int> ReceiveAsync(CancellationToken ct, bool throwAtEnd = true)
        {
            var received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
            if (received == 0)
            {
                if (throwAtEnd) throw new IOException("The server closed the connection.");
                return 0;
            }

            ReceivedAny = true;
            _end += received;
            return received;
        }

        public void Dispose() => _socket.Dispose();
    }
}
