using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Domain;

namespace Pipelines.Tests.CatalogConsolidator.Domain;

public class JsonLineReaderTests
{
    private static async Task<List<(long Number, string Text, bool TooLong, long Length)>> ReadAll(Stream stream, long maxLine = 1 << 20, int bufferSize = 16)
    {
        var lines = new List<(long, string, bool, long)>();
        await using var reader = new JsonLineReader(stream, maxLine, bufferSize);
        while (await reader.MoveNextAsync())
            lines.Add((reader.LineNumber, Encoding.UTF8.GetString(reader.Current), reader.IsTooLong, reader.CurrentLength));
        return lines;
    }

    [Test]
    public async Task Splits_lines_across_tiny_reads_and_handles_crlf_bom_and_a_missing_final_newline()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("{\"a\":1}\r\n\n{\"b\":\"é\"}\n{\"c\":3}")).ToArray();

        var lines = await ReadAll(new TrickleStream(bytes, 3));

        lines.Select(l => (l.Number, l.Text)).Should().Equal((1, "{\"a\":1}"), (2, ""), (3, "{\"b\":\"é\"}"), (4, "{\"c\":3}"));
    }

    [Test]
    public async Task A_trailing_newline_does_not_make_an_extra_line()
    {
        var lines = await ReadAll(new MemoryStream("x\ny\n"u8.ToArray()));

        lines.Select(l => l.Text).Should().Equal("x", "y");
    }

    [Test]
    public async Task A_line_longer_than_the_limit_is_skipped_without_being_buffered_and_reading_goes_on()
    {
        var huge = new string('x', 100_000);
        var stream = new CountingStream(new MemoryStream(Encoding.UTF8.GetBytes($"first\n{huge}\nlast\n")));

        var lines = await ReadAll(stream, maxLine: 1000, bufferSize: 4096);

        lines.Should().HaveCount(3);
        lines[1].TooLong.Should().BeTrue();
        lines[1].Length.Should().Be(100_000);
        lines[1].Text.Should().BeEmpty();
        lines[2].Should().Be((3L, "last", false, 4L));
    }

    [Test]
    public async Task A_long_line_within_the_limit_arrives_whole()
    {
        var big = new string('y', 300_000);

        var lines = await ReadAll(new TrickleStream(Encoding.UTF8.GetBytes($"{big}\nz"), 7000), maxLine: 1 << 20, bufferSize: 4096);

        lines.Select(l => l.Text).Should().Equal(big, "z");
    }

    [Test]
    public async Task Counts_the_bytes_it_read()
    {
        await using var reader = new JsonLineReader(new MemoryStream("ab\r\ncd\nef"u8.ToArray()), 100);
        while (await reader.MoveNextAsync()) { }

        reader.BytesRead.Should().Be(9);
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, like a slow network body.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);
    }

    private sealed class CountingStream(Stream inner) : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    }
}
