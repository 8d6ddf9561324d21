using System.Text.Encodings.Web;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Text;

namespace Pipelines.Tests.Shared.Text;

public class ReusableJsonWriterTests
{
    [Test]
    public void The_same_options_reuse_one_writer_and_buffer_and_start_empty()
    {
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var first = ReusableJsonWriter.Start(options, out var firstBuffer);
        first.WriteStartObject();
        first.WriteString("a", "1");
        first.WriteEndObject();
        first.Flush();

        var second = ReusableJsonWriter.Start(options, out var secondBuffer);
        second.WriteStartObject();
        second.WriteEndObject();
        second.Flush();

        second.Should().BeSameAs(first);
        secondBuffer.Should().BeSameAs(firstBuffer);
        System.Text.Encoding.UTF8.GetString(secondBuffer.WrittenSpan).Should().Be("{}");
    }

    [Test]
    public void Different_options_get_a_writer_with_those_options()
    {
        ReusableJsonWriter.Start(new JsonWriterOptions(), out _);
        var indented = ReusableJsonWriter.Start(new JsonWriterOptions { Indented = true }, out _);
        indented.Options.Indented.Should().BeTrue();
    }
}
