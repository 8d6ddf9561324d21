using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Buffers;

namespace Pipelines.Tests.Shared.Buffers;

[TestFixture]
public sealed class PooledByteArenaTests
{
    [Test]
    public void Copies_stay_intact_while_later_copies_fill_new_chunks_including_outsized_ones()
    {
        using var arena = new PooledByteArena(chunkBytes: 16);
        var expected = new List<byte[]>();
        var copies = new List<ReadOnlyMemory<byte>>();
        var random = new Random(5);
        foreach (var length in new[] { 5, 5, 5, 5, 0, 40, 3, 16, 1 })
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            expected.Add(bytes);
            copies.Add(arena.Copy(bytes));
        }

        copies.Select(c => c.ToArray()).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    [Test]
    public void A_non_positive_chunk_size_is_refused()
    {
        var create = () => new PooledByteArena(0);
        create.Should().Throw<ArgumentOutOfRangeException>();
    }
}
