using ExtraditionCases.Application.Features.Transparency;
using ExtraditionCases.Application.Transparency;

namespace ExtraditionCases.Tests.Transparency;

/// <summary>
/// The tree hashes and proofs against published vectors: the RFC 6962 reference tree of eight leaves with
/// its roots, audit paths and consistency proofs as the transparency-dev/merkle library states them
/// (cmd/proofgen, from which its testdata/ probes are generated), and the same mutations those probes
/// apply (wrong index, size, leaf or root, garbage before or after, a flipped bit, a component removed).
/// </summary>
public sealed class MerkleTests
{
    private static readonly byte[][] Leaves =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];

    private static readonly string[] Roots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    // (leaf index, tree size, audit path): the library's vectors use 1-based leaf numbers; these are 0-based.
    private static readonly (long Index, long Size, string[] Proof)[] InclusionVectors =
    [
        (0, 1, []),
        (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    ];

    private static readonly (long From, long To, string[] Proof)[] ConsistencyVectors =
    [
        (1, 1, []),
        (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
        (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
        (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
        (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    ];

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);

    /// <summary>The reference tree stored as our nodes, appended leaf by leaf as the publisher does.</summary>
    private static Dictionary<Merkle.NodeId, byte[]> Stored(int size)
    {
        var nodes = new Dictionary<Merkle.NodeId, byte[]>();
        for (var i = 0; i < size; i++)
        {
            foreach (var (id, hash) in Merkle.Append(i, Merkle.LeafHash(Leaves[i]), id => nodes[id]).ToList()) nodes[id] = hash;
        }

        return nodes;
    }

    [Test]
    public void Leaf_and_empty_hashes_are_those_of_RFC_6962()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Convert.ToHexStringLower(Merkle.EmptyRoot()), Is.EqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
            Assert.That(Convert.ToHexStringLower(Merkle.LeafHash([])), Is.EqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"));
            Assert.That(Convert.ToHexStringLower(Merkle.LeafHash("L123456"u8)), Is.EqualTo("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"));
        });
    }

    [Test]
    public void Roots_of_every_size_match_the_reference_tree_folded_and_from_stored_nodes()
    {
        var nodes = Stored(8);
        for (var size = 1; size <= 8; size++)
        {
            var folded = Merkle.Root(Leaves.Take(size).Select(l => Merkle.LeafHash(l)));
            var fromNodes = Merkle.SubtreeHash(0, size, id => nodes[id]);
            Assert.Multiple(() =>
            {
                Assert.That(Convert.ToHexStringLower(folded), Is.EqualTo(Roots[size - 1]), $"size {size}");
                Assert.That(Convert.ToHexStringLower(fromNodes), Is.EqualTo(Roots[size - 1]), $"size {size}");
            });
        }
    }

    [TestCaseSource(nameof(InclusionCases))]
    public void Inclusion_proofs_are_the_published_ones_and_verify((long Index, long Size, string[] Proof) vector)
    {
        var nodes = Stored(8);
        var proof = Merkle.InclusionProof(vector.Index, vector.Size, id => nodes[id]);
        var leaf = Merkle.LeafHash(Leaves[vector.Index]);
        var root = Hex(Roots[vector.Size - 1]);
        Assert.Multiple(() =>
        {
            Assert.That(proof.Select(Convert.ToHexStringLower), Is.EqualTo(vector.Proof));
            Assert.That(Merkle.VerifyInclusion(vector.Index, vector.Size, leaf, proof, root), Is.True);
        });

        // The probes of the library's testdata/inclusion: each mutation must be refused.
        var probes = new List<(string Name, long Index, long Size, byte[] Leaf, byte[] Root, IReadOnlyList<byte[]> Proof)>
        {
            ("leafIdx sub 1", vector.Index - 1, vector.Size, leaf, root, proof),
            ("leafIdx plus 1", vector.Index + 1, vector.Size, leaf, root, proof),
            ("leafIdx XOR 2", vector.Index ^ 2, vector.Size, leaf, root, proof),
            ("treeSize mul 2", vector.Index, vector.Size * 2, leaf, root, proof),
            ("treeSize div 2", vector.Index, vector.Size / 2, leaf, root, proof),
            ("wrong leaf", vector.Index, vector.Size, "WrongLeaf"u8.ToArray(), root, proof),
            ("empty root", vector.Index, vector.Size, leaf, Merkle.EmptyRoot(), proof),
            ("random root", vector.Index, vector.Size, leaf, Hex("abacaba000000000000000000000000000000000000000000060061e00123456"), proof),
            ("trailing garbage", vector.Index, vector.Size, leaf, root, [.. proof, Array.Empty<byte>()]),
            ("trailing root", vector.Index, vector.Size, leaf, root, [.. proof, root]),
            ("preceding garbage", vector.Index, vector.Size, leaf, root, [Array.Empty<byte>(), .. proof]),
            ("preceding root", vector.Index, vector.Size, leaf, root, [root, .. proof]),
        };
        for (var i = 0; i < proof.Count; i++)
        {
            var flipped = proof.Select(p => p.ToArray()).ToList();
            flipped[i][0] ^= 8;
            probes.Add(($"modified proof[{i}]", vector.Index, vector.Size, leaf, root, flipped));
        }

        if (proof.Count > 0) probes.Add(("removed component", vector.Index, vector.Size, leaf, root, proof.Take(proof.Count - 1).ToList()));
        Assert.Multiple(() =>
        {
            foreach (var p in probes)
            {
                // Mutations that leave the vector unchanged (index 0 XOR 2 in a tree of 1, say) are not probes.
                if (p.Index == vector.Index && p.Size == vector.Size && p.Leaf.SequenceEqual(leaf) && p.Root.SequenceEqual(root)
                    && p.Proof.Count == proof.Count && p.Proof.Zip(proof).All(x => x.First.SequenceEqual(x.Second))) continue;
                Assert.That(Merkle.VerifyInclusion(p.Index, p.Size, p.Leaf, p.Proof, p.Root), Is.False, p.Name);
            }
        });
    }

    [TestCaseSource(nameof(ConsistencyCases))]
    public void Consistency_proofs_are_the_published_ones_and_verify((long From, long To, string[] Proof) vector)
    {
        var nodes = Stored(8);
        var proof = Merkle.ConsistencyProof(vector.From, vector.To, id => nodes[id]);
        var root1 = Hex(Roots[vector.From - 1]);
        var root2 = Hex(Roots[vector.To - 1]);
        Assert.Multiple(() =>
        {
            Assert.That(proof.Select(Convert.ToHexStringLower), Is.EqualTo(vector.Proof));
            Assert.That(Merkle.VerifyConsistency(vector.From, vector.To, root1, root2, proof), Is.True);
        });

        // As in the library's testdata/consistency/0, a tree consistent with itself has no probes.
        if (vector.From == vector.To) return;

        var probes = new List<(string Name, long From, long To, byte[] Root1, byte[] Root2, IReadOnlyList<byte[]> Proof)>
        {
            ("size1 sub 1", vector.From - 1, vector.To, root1, root2, proof),
            ("size1 plus 1", vector.From + 1, vector.To, root1, root2, proof),
            ("size1 XOR 2", vector.From ^ 2, vector.To, root1, root2, proof),
            ("size2 mul 2", vector.From, vector.To * 2, root1, root2, proof),
            ("size2 div 2", vector.From, vector.To / 2, root1, root2, proof),
            ("wrong root1", vector.From, vector.To, "WrongRoot"u8.ToArray(), root2, proof),
            ("wrong root2", vector.From, vector.To, root1, "WrongRoot"u8.ToArray(), proof),
            ("swapped roots", vector.From, vector.To, root2, root1, proof),
            ("empty proof", vector.From, vector.To, root1, root2, []),
            ("trailing garbage", vector.From, vector.To, root1, root2, [.. proof, Array.Empty<byte>()]),
            ("trailing root1", vector.From, vector.To, root1, root2, [.. proof, root1]),
            ("trailing root2", vector.From, vector.To, root1, root2, [.. proof, root2]),
            ("preceding garbage", vector.From, vector.To, root1, root2, [Array.Empty<byte>(), .. proof]),
            ("preceding root1", vector.From, vector.To, root1, root2, [root1, .. proof]),
            ("preceding root2", vector.From, vector.To, root1, root2, [root2, .. proof]),
        };
        for (var i = 0; i < proof.Count; i++)
        {
            var flipped = proof.Select(p => p.ToArray()).ToList();
            flipped[i][0] ^= 16;
            probes.Add(($"modified proof[{i}]", vector.From, vector.To, root1, root2, flipped));
        }

        if (proof.Count > 0) probes.Add(("truncated proof", vector.From, vector.To, root1, root2, proof.Take(proof.Count - 1).ToList()));
        Assert.Multiple(() =>
        {
            foreach (var p in probes)
            {
                // The library skips probes that coincide with a valid statement (equal sizes with equal roots, say).
                var unchanged = p.From == vector.From && p.To == vector.To && p.Root1.SequenceEqual(root1) && p.Root2.SequenceEqual(root2)
                    && p.Proof.Count == proof.Count && p.Proof.Zip(proof).All(x => x.First.SequenceEqual(x.Second));
                var trivial = p.From == p.To && p.Proof.Count == 0 && p.Root1.SequenceEqual(p.Root2);
                if (unchanged || trivial) continue;
                Assert.That(Merkle.VerifyConsistency(p.From, p.To, p.Root1, p.Root2, p.Proof), Is.False, p.Name);
            }
        });
    }

    [Test]
    public void Proofs_between_every_pair_of_sizes_of_a_larger_tree_verify()
    {
        // Beyond the vectors: a tree of 70 leaves, every audit path and every consistency proof.
        var leaves = Enumerable.Range(0, 70).Select(i => Merkle.LeafHash(BitConverter.GetBytes(i))).ToList();
        var nodes = new Dictionary<Merkle.NodeId, byte[]>();
        for (var i = 0; i < leaves.Count; i++)
            foreach (var (id, hash) in Merkle.Append(i, leaves[i], id => nodes[id]).ToList()) nodes[id] = hash;
        var roots = Enumerable.Range(0, 71).Select(n => Merkle.Root(leaves.Take(n))).ToList();

        for (var size = 1; size <= 70; size++)
        {
            for (var i = 0; i < size; i++)
                Assert.That(Merkle.VerifyInclusion(i, size, leaves[i], Merkle.InclusionProof(i, size, id => nodes[id]), roots[size]), Is.True, $"{i} in {size}");
            for (var from = 1; from <= size; from++)
                Assert.That(Merkle.VerifyConsistency(from, size, roots[from], roots[size], Merkle.ConsistencyProof(from, size, id => nodes[id])), Is.True, $"{from} to {size}");
        }
    }

    [Test]
    public void Stored_ranges_shared_by_many_paths_give_each_path_as_computed_alone_and_none_when_a_node_is_missing()
    {
        // The history's way (HistoryTransparency): one set of stored ranges for every leaf's path, each range hashed once.
        var leaves = Enumerable.Range(0, 70).Select(i => Merkle.LeafHash(BitConverter.GetBytes(i))).ToList();
        var nodes = new Dictionary<Merkle.NodeId, byte[]?>();
        for (var i = 0; i < leaves.Count; i++)
            foreach (var (id, hash) in Merkle.Append(i, leaves[i], id => nodes[id]!).ToList()) nodes[id] = hash;
        var withoutOne = new Dictionary<Merkle.NodeId, byte[]?>(nodes) { [new Merkle.NodeId(0, 5)] = null };

        foreach (var size in new[] { 1, 2, 13, 64, 70 })
        {
            var shared = new TransparencyReads.StoredRanges(nodes);
            var missing = new TransparencyReads.StoredRanges(withoutOne);
            for (var i = 0; i < size; i++)
            {
                var ranges = Merkle.InclusionRanges(i, size);
                var alone = Merkle.InclusionProof(i, size, id => nodes[id]!);
                Assert.That(shared.Proof(ranges), Is.EqualTo(alone), $"{i} in {size}");
                var needsLeaf5 = ranges.SelectMany(r => Merkle.NodesOf(r.Lo, r.Hi)).Contains(new Merkle.NodeId(0, 5));
                Assert.That(missing.Proof(ranges), needsLeaf5 ? Is.Null : Is.EqualTo(alone), $"{i} in {size}, leaf 5 not stored");
            }
        }
    }

    private static IEnumerable<TestCaseData> InclusionCases() =>
        InclusionVectors.Select(v => new TestCaseData(v).SetArgDisplayNames($"leaf {v.Index} of {v.Size}"));

    private static IEnumerable<TestCaseData> ConsistencyCases() =>
        ConsistencyVectors.Select(v => new TestCaseData(v).SetArgDisplayNames($"{v.From} to {v.To}"));
}
