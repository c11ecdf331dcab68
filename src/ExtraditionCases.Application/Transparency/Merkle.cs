using System.Numerics;
using System.Security.Cryptography;

namespace ExtraditionCases.Application.Transparency;

/// <summary>
/// RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing, audit paths and consistency proofs,
/// over SHA-256. A leaf is hashed as SHA-256(0x00 || entry), an interior node as
/// SHA-256(0x01 || left || right); the root of the empty tree is SHA-256 of nothing. Our entries are
/// the 32 bytes of each event's stored hash (and of each access log entry's hash).
/// </summary>
public static class Merkle
{
    public const int HashSize = 32;

    public static byte[] EmptyRoot() => SHA256.HashData([]);

    public static byte[] LeafHash(ReadOnlySpan<byte> entry)
    {
        Span<byte> buffer = entry.Length <= 256 ? stackalloc byte[entry.Length + 1] : new byte[entry.Length + 1];
        buffer[0] = 0x00;
        entry.CopyTo(buffer[1..]);
        return SHA256.HashData(buffer);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * HashSize];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The largest power of two smaller than <paramref name="n"/> (n &gt; 1): where RFC 9162 splits a tree of n leaves.</summary>
    public static long Split(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>The root of the leaves given (leaf hashes, in order), folded with O(log n) memory.</summary>
    public static byte[] Root(IEnumerable<byte[]> leafHashes)
    {
        var stack = new List<(int Height, byte[] Hash)>();
        foreach (var leaf in leafHashes)
        {
            var node = (Height: 0, Hash: leaf);
            // Merge equal-height subtrees: the stack always holds the perfect subtrees of the size so far.
            while (stack.Count > 0 && stack[^1].Height == node.Height)
            {
                node = (node.Height + 1, NodeHash(stack[^1].Hash, node.Hash));
                stack.RemoveAt(stack.Count - 1);
            }

            stack.Add(node);
        }

        if (stack.Count == 0) return EmptyRoot();
        var root = stack[^1].Hash;
        for (var i = stack.Count - 2; i >= 0; i--) root = NodeHash(stack[i].Hash, root);
        return root;
    }

    /// <summary>
    /// A stored node: the root of the perfect subtree of 2^level leaves starting at leaf index × 2^level.
    /// Level 0 is a leaf hash. Trees are stored as these nodes, so any subtree hash is a few reads.
    /// </summary>
    public readonly record struct NodeId(int Level, long Index);

    /// <summary>The stored nodes whose hashes make up MTH(D[lo:hi]): one for a perfect aligned range, else its split halves'.</summary>
    public static IEnumerable<NodeId> NodesOf(long lo, long hi)
    {
        var n = hi - lo;
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(hi), "An empty range has no nodes.");
        if ((n & (n - 1)) == 0 && lo % n == 0)
        {
            yield return new NodeId(BitOperations.Log2((ulong)n), lo / n);
            yield break;
        }

        var k = Split(n);
        foreach (var id in NodesOf(lo, lo + k)) yield return id;
        foreach (var id in NodesOf(lo + k, hi)) yield return id;
    }

    /// <summary>MTH(D[lo:hi]) from stored nodes.</summary>
    public static byte[] SubtreeHash(long lo, long hi, Func<NodeId, byte[]> node)
    {
        var n = hi - lo;
        if ((n & (n - 1)) == 0 && lo % n == 0) return node(new NodeId(BitOperations.Log2((ulong)n), lo / n));
        var k = Split(n);
        return NodeHash(SubtreeHash(lo, lo + k, node), SubtreeHash(lo + k, hi, node));
    }

    /// <summary>The ranges whose subtree hashes form the audit path of leaf <paramref name="index"/> in a tree of <paramref name="size"/> leaves (RFC 9162 2.1.3.1), leaf side first.</summary>
    public static IReadOnlyList<(long Lo, long Hi)> InclusionRanges(long index, long size)
    {
        if (index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index), "The leaf is not in a tree of that size.");
        var ranges = new List<(long, long)>();
        Path(index, 0, size, ranges);
        return ranges;

        static void Path(long m, long lo, long hi, List<(long, long)> into)
        {
            var n = hi - lo;
            if (n == 1) return;
            var k = Split(n);
            if (m < k)
            {
                Path(m, lo, lo + k, into);
                into.Add((lo + k, hi));
            }
            else
            {
                Path(m - k, lo + k, hi, into);
                into.Add((lo, lo + k));
            }
        }
    }

    /// <summary>The ranges whose subtree hashes form the consistency proof from <paramref name="from"/> leaves to <paramref name="to"/> (RFC 9162 2.1.4.1).</summary>
    public static IReadOnlyList<(long Lo, long Hi)> ConsistencyRanges(long from, long to)
    {
        if (from < 0 || from > to) throw new ArgumentOutOfRangeException(nameof(from), "A tree is consistent only with a smaller one.");
        var ranges = new List<(long, long)>();
        if (from == 0 || from == to) return ranges;
        SubProof(from, 0, to, true, ranges);
        return ranges;

        static void SubProof(long m, long lo, long hi, bool complete, List<(long, long)> into)
        {
            var n = hi - lo;
            if (m == n)
            {
                if (!complete) into.Add((lo, hi));
                return;
            }

            var k = Split(n);
            if (m <= k)
            {
                SubProof(m, lo, lo + k, complete, into);
                into.Add((lo + k, hi));
            }
            else
            {
                SubProof(m - k, lo + k, hi, false, into);
                into.Add((lo, lo + k));
            }
        }
    }

    public static IReadOnlyList<byte[]> InclusionProof(long index, long size, Func<NodeId, byte[]> node) =>
        [.. InclusionRanges(index, size).Select(r => SubtreeHash(r.Lo, r.Hi, node))];

    public static IReadOnlyList<byte[]> ConsistencyProof(long from, long to, Func<NodeId, byte[]> node) =>
        [.. ConsistencyRanges(from, to).Select(r => SubtreeHash(r.Lo, r.Hi, node))];

    /// <summary>RFC 9162 2.1.3.2: does the audit path lead from the leaf hash to the root?</summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size || leafHash.Length != HashSize || root.Length != HashSize) return false;
        long fn = index, sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in proof)
        {
            if (p.Length != HashSize || sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                if ((fn & 1) == 0)
                {
                    do
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                    while ((fn & 1) == 0 && fn != 0);
                }
            }
            else
            {
                r = NodeHash(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(r, root);
    }

    /// <summary>RFC 9162 2.1.4.2: is the tree of <paramref name="size2"/> leaves an append-only extension of the one of <paramref name="size1"/>?</summary>
    public static bool VerifyConsistency(long size1, long size2, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2, IReadOnlyList<byte[]> proof)
    {
        if (size1 < 0 || size2 < size1 || root1.Length != HashSize || root2.Length != HashSize) return false;
        if (size1 == size2) return proof.Count == 0 && root1.SequenceEqual(root2);
        if (size1 == 0) return proof.Count == 0;
        if (proof.Count == 0 || proof.Any(p => p.Length != HashSize)) return false;

        var path = proof.ToList();
        // A first tree that is a perfect left subtree is its own first node.
        if ((size1 & (size1 - 1)) == 0) path.Insert(0, root1.ToArray());
        long fn = size1 - 1, sn = size2 - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        byte[] fr = path[0], sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                if ((fn & 1) == 0)
                {
                    do
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                    while ((fn & 1) == 0 && fn != 0);
                }
            }
            else
            {
                sr = NodeHash(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && CryptographicOperations.FixedTimeEquals(fr, root1) && CryptographicOperations.FixedTimeEquals(sr, root2);
    }

    /// <summary>
    /// The nodes that become complete when leaf <paramref name="index"/> is appended: the leaf itself and each
    /// parent whose right child it completes. <paramref name="node"/> gives the left siblings already stored.
    /// </summary>
    public static IEnumerable<(NodeId Id, byte[] Hash)> Append(long index, byte[] leafHash, Func<NodeId, byte[]> node)
    {
        var id = new NodeId(0, index);
        var hash = leafHash;
        yield return (id, hash);
        while ((id.Index & 1) == 1)
        {
            var left = node(new NodeId(id.Level, id.Index - 1));
            hash = NodeHash(left, hash);
            id = new NodeId(id.Level + 1, id.Index >> 1);
            yield return (id, hash);
        }
    }
}
