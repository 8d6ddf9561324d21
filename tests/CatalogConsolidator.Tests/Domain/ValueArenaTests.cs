using System.Buffers;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Domain;

namespace Pipelines.Tests.CatalogConsolidator.Domain;

public class ValueArenaTests
{
    [Test]
    public void Values_that_do_not_fit_the_rest_of_a_chunk_start_the_next_chunk_and_read_back_intact()
    {
        var pool = new CountingPool();
        using var arena = new ValueArena(pool, chunkSize: 16);
        var random = new Random(7);
        var values = Enumerable.Range(0, 300).Select(i => Bytes(random.Next(0, 17), seed: i)).ToList();

        var blocks = values.Select(v => arena.Add(v)).ToList();

        for (var i = 0; i < values.Count; i++)
        {
            arena.Read(blocks[i], 0, values[i].Length).ToArray().Should().Equal(values[i], $"value {i} must survive the values written after it");
            blocks[i].Offset.Should().Be(blocks[i].Offset / 8 * 8, "blocks start 8-byte aligned");
            (blocks[i].Offset + values[i].Length).Should().BeLessThanOrEqualTo(16, "a block never straddles two chunks");
        }
        arena.ChunkCount.Should().BeGreaterThan(100);
        arena.ReservedBytes.Should().Be(values.Sum(v => (v.Length + 7) / 8 * 8));
    }

    [Test]
    public void A_value_larger_than_a_chunk_gets_an_array_of_its_own_that_is_not_returned_to_the_pool()
    {
        var pool = new CountingPool();
        var small = Bytes(10, seed: 1);
        var large = Bytes(100, seed: 2);
        var after = Bytes(4, seed: 3);
        var arena = new ValueArena(pool, chunkSize: 32);

        var first = arena.Add(small);
        var big = arena.Add(large);
        var next = arena.Add(after);

        (first, big, next).Should().Be((new ArenaBlock(0, 0), new ArenaBlock(1, 0), new ArenaBlock(0, 16)),
            "the chunk being filled keeps serving small values around an oversized one");
        arena.Read(first, 0, 10).ToArray().Should().Equal(small);
        arena.Read(big, 0, 100).ToArray().Should().Equal(large);
        arena.Read(next, 0, 4).ToArray().Should().Equal(after);
        arena.HeldBytes.Should().Be(32 + 100);

        arena.Dispose();
        (pool.Rented, pool.Returned).Should().Be((1, 1), "only the pooled chunk goes back");
    }

    [Test]
    public void Chunks_go_back_to_the_pool_on_dispose_and_serve_the_next_arena()
    {
        var pool = new CountingPool();
        var first = new ValueArena(pool, chunkSize: 64);
        var old = Enumerable.Range(0, 6).Select(i => first.Add(Bytes(40, seed: i))).ToList();
        first.ChunkCount.Should().Be(6);
        first.Dispose();
        pool.Returned.Should().Be(6);

        using var second = new ValueArena(pool, chunkSize: 64);
        var fresh = Enumerable.Range(0, 6).Select(i => Bytes(40, seed: 100 + i)).ToList();
        var blocks = fresh.Select(v => second.Add(v)).ToList();

        pool.Allocated.Should().Be(6, "the second arena reuses the returned chunks");
        for (var i = 0; i < fresh.Count; i++) second.Read(blocks[i], 0, 40).ToArray().Should().Equal(fresh[i]);
        FluentActions.Invoking(() => first.Read(old[0], 0, 40).ToArray()).Should().Throw<ObjectDisposedException>();
        FluentActions.Invoking(() => first.Add(Bytes(1, seed: 0))).Should().Throw<ObjectDisposedException>();
    }

    [Test]
    public void A_released_block_is_handed_out_again_only_for_the_same_rounded_size()
    {
        using var arena = new ValueArena(new CountingPool(), chunkSize: 1024);
        var released = arena.Add(Bytes(20, seed: 1));
        arena.Add(Bytes(8, seed: 2));
        arena.Release(released, 20);

        var other = arena.Reserve(30, out _);
        var same = arena.Reserve(17, out var destination);

        other.Should().NotBe(released, "32 bytes do not fit a 24-byte hole");
        same.Should().Be(released, "17 bytes round to the same 24 as the released 20");
        destination.Length.Should().Be(17);
        arena.ReservedBytes.Should().Be(8 + 32 + 24);
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A pool that counts what it hands out and takes back, and reuses what it got back.</summary>
    private sealed class CountingPool : ArrayPool<byte>
    {
        private readonly Stack<byte[]> _free = new();

        public int Rented { get; private set; }
        public int Returned { get; private set; }
        public int Allocated { get; private set; }

        public override byte[] Rent(int minimumLength)
        {
            Rented++;
            if (_free.TryPop(out var array) && array.Length >= minimumLength) return array;
            Allocated++;
            return new byte[minimumLength];
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            Returned++;
            _free.Push(array);
        }
    }
}
