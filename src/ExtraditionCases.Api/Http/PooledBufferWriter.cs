using System.Buffers;

namespace ExtraditionCases.Api.Http;

/// <summary>
/// A response body built in full before any of it is sent, in one array rented from the shared pool (grown by
/// doubling): a body whose making fails half-way is dropped whole, and the error goes out as a clean problem response.
/// </summary>
internal sealed class PooledBufferWriter(int initialCapacity = 64 * 1024) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private int _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _buffer.Length) throw new InvalidOperationException("Advanced past the buffer.");
        _written += count;
    }

    // Room first: it may replace the array, which must not be read before that.
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var room = Ensure(sizeHint);
        return _buffer.AsMemory(_written, room);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        var room = Ensure(sizeHint);
        return _buffer.AsSpan(_written, room);
    }

    /// <summary>Makes room for at least <paramref name="sizeHint"/> bytes (one when 0); the room now free.</summary>
    private int Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + needed));
            _buffer.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        return _buffer.Length - _written;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
