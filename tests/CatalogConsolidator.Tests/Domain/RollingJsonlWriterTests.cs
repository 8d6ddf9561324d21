using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Domain;
using Pipelines.Tests.CatalogConsolidator.Support;

namespace Pipelines.Tests.CatalogConsolidator.Domain;

public class RollingJsonlWriterTests
{
    private const int Max = 500_000;
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "catalog-rolling-tests", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static byte[] Line(int bytesIncludingNewline) => Enumerable.Repeat((byte)'x', bytesIncludingNewline - 1).ToArray();

    [Test]
    public void Writing_over_a_longer_file_in_place_gives_parts_of_only_the_new_lines()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "spool.jsonl");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("{\"stale\":true}\n", 1_000)));
        using var writer = new RollingJsonlWriter(path, 20, overwriteInPlace: true);
        writer.WriteLine("{\"n\":1}"u8, [0]);
        writer.WriteLine("{\"n\":2}"u8, [0]);
        writer.WriteLine("{\"n\":3}"u8, [1]);

        var files = writer.Complete();

        files.SelectMany(SpooledBytes.Lines).Should().Equal("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        files.Select(f => f.Offset).Should().Equal(0, 16);
        new FileInfo(path).Length.Should().Be(15_000, "the old bytes past the new lines stay, outside every part");
    }

    [Test]
    public void A_file_may_reach_exactly_the_limit()
    {
        using var writer = new RollingJsonlWriter(_dir, "out", Max);
        writer.WriteLine(Line(300_000), [0]);
        writer.WriteLine(Line(200_000), [1]);

        var files = writer.Complete();

        files.Should().ContainSingle();
        files[0].Bytes.Should().Be(Max);
        SpooledBytes.Read(files[0]).Length.Should().Be(Max);
        files[0].Messages.Should().Equal(0, 1);
    }

    [Test]
    public void One_byte_over_the_limit_rolls_to_a_new_file_before_writing()
    {
        using var writer = new RollingJsonlWriter(_dir, "out", Max);
        writer.WriteLine(Line(300_000), [0]);
        writer.WriteLine(Line(200_001), [1]);

        var files = writer.Complete();

        files.Select(f => f.Bytes).Should().Equal(300_000, 200_001);
        files.Select(f => (long)SpooledBytes.Read(f).Length).Should().Equal(300_000, 200_001);
        files.Select(f => f.Messages).Should().BeEquivalentTo(new[] { new[] { 0 }, new[] { 1 } }, o => o.WithStrictOrdering());
        files.Should().OnlyContain(f => !f.Oversized);
    }

    [Test]
    public void A_single_line_over_the_limit_goes_alone_in_its_own_file_and_is_flagged()
    {
        using var writer = new RollingJsonlWriter(_dir, "out", Max);
        writer.WriteLine(Line(10), [0]);
        writer.WriteLine(Line(Max + 1), [1]);
        writer.WriteLine(Line(10), [2]);

        var files = writer.Complete();

        files.Select(f => (f.Lines, f.Bytes, f.Oversized)).Should().Equal((1, 10L, false), (1, Max + 1L, true), (1, 10L, false));
        SpooledBytes.Read(files[1]).Should().HaveCount(Max + 1).And.EndWith((byte)'\n');
        writer.TotalBytes.Should().Be(Max + 21L);
    }

    [Test]
    public void Lines_are_never_split_and_every_file_ends_with_a_newline()
    {
        using var writer = new RollingJsonlWriter(_dir, "out", 100);
        for (var i = 0; i < 50; i++) writer.WriteLine(Line(7 + i % 13), [i % 3]);

        var files = writer.Complete();

        files.Should().OnlyContain(f => f.Bytes <= 100);
        var all = files.SelectMany(SpooledBytes.Lines).ToList();
        all.Should().HaveCount(50);
        all.Select(l => l.Length + 1).Should().Equal(Enumerable.Range(0, 50).Select(i => 7 + i % 13));
        files.Select(f => SpooledBytes.Read(f).Last()).Should().OnlyContain(b => b == (byte)'\n');
    }

    [Test]
    public void Parts_are_consecutive_segments_of_one_spool_file_including_lines_longer_than_the_write_buffer()
    {
        using var writer = new RollingJsonlWriter(_dir, "out", Max);
        writer.WriteLine(Line(100), [0]);
        writer.WriteLine(Line(2_000_001), [1]);
        var reserved = writer.ReserveLine(9);
        "{\"a\":\"b\"}"u8.CopyTo(reserved);
        writer.CommitLine([2]);

        var files = writer.Complete();

        files.Select(f => f.Path).Distinct().Should().ContainSingle();
        files.Select(f => (f.Offset, f.Bytes)).Should().Equal((0L, 100L), (100L, 2_000_001L), (2_000_101L, 10L));
        new FileInfo(files[0].Path).Length.Should().Be(2_000_111);
        SpooledBytes.Lines(files[2]).Should().Equal("{\"a\":\"b\"}");
        SpooledBytes.Read(files[1]).Should().HaveCount(2_000_001).And.EndWith((byte)'\n');
        files[1].Oversized.Should().BeTrue();
    }

    [Test]
    public void A_segment_stream_reads_only_its_segment_and_can_be_rewound()
    {
        var path = Path.Combine(_dir, "segment.bin");
        Directory.CreateDirectory(_dir);
        File.WriteAllBytes(path, "0123456789"u8.ToArray());
        using var stream = new Pipelines.Catalog.Storage.FileSegmentStream(new(path, 3, 4));
        var buffer = new byte[16];

        stream.Read(buffer).Should().Be(4);
        stream.Read(buffer).Should().Be(0);
        stream.Seek(1, SeekOrigin.Begin).Should().Be(1);
        stream.Read(buffer, 0, 16).Should().Be(3);

        stream.Length.Should().Be(4);
        buffer.Take(3).Should().Equal("456"u8.ToArray());
    }
}
