using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Transform.Domain;
using Pipelines.Orders.Transform.Firehose;

namespace Pipelines.Tests.OrdersFirehoseTransform;

/// <summary>The response budget is only exact if every predicted size is the size the writer produces.</summary>
public class FirehoseAnswerSizeTests
{
    private static byte[] Written(Action<FirehoseResponseWriter> write)
    {
        using var output = new MemoryStream();
        using (var writer = new FirehoseResponseWriter(output))
        {
            write(writer);
            writer.FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        return output.ToArray();
    }

    private static int WrittenStringLength(byte[] utf8) =>
        Written(w => w.WriteProcessingFailed(utf8, [])).Length - (int)FirehoseAnswerSize.ProcessingFailed(0, 0);

    [Test]
    public void Json_string_length_matches_the_writer_for_every_ascii_character()
    {
        for (var c = 0; c < 128; c++)
        {
            byte[] value = [(byte)'a', (byte)c, (byte)'z'];
            FirehoseAnswerSize.JsonString(value).Should().Be(WrittenStringLength(value), $"character {c}");
        }
    }

    [TestCase("49546986683135544286507457936321625675700192471156785150")]
    [TestCase("été 😀 \u2028 ☕")]
    [TestCase("a+b/c==")]
    [TestCase("")]
    public void Json_string_length_matches_the_writer_for_text(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);

        FirehoseAnswerSize.JsonString(utf8).Should().Be(WrittenStringLength(utf8));
    }

    [Test]
    public void Ok_answer_size_matches_the_writer_for_every_base64_padding_and_date()
    {
        var dates = new[] { new DateOnly(2024, 3, 7), new DateOnly(1, 1, 1), new DateOnly(9999, 12, 31) };
        foreach (var date in dates)
        {
            for (var n = 0; n < 12; n++)
            {
                var line = Enumerable.Range(0, n).Select(i => (byte)(i * 67)).ToArray();
                var id = Encoding.UTF8.GetBytes($"id-{n}<>");

                var bytes = Written(w => w.WriteOk(id, line, new OrderPartition(date)));

                bytes.Length.Should().Be((int)FirehoseAnswerSize.Ok(FirehoseAnswerSize.JsonString(id), n), $"{n} bytes on {date}");
            }
        }
    }

    [Test]
    public void Processing_failed_size_matches_the_writer()
    {
        var id = Encoding.UTF8.GetBytes("rec\"1");
        var data = Encoding.UTF8.GetBytes("+/8=\n");

        var bytes = Written(w => w.WriteProcessingFailed(id, data));

        bytes.Length.Should().Be((int)FirehoseAnswerSize.ProcessingFailed(FirehoseAnswerSize.JsonString(id), FirehoseAnswerSize.JsonString(data)));
    }

    [Test]
    public void The_envelope_and_separators_are_what_the_budget_counts()
    {
        var id = "r"u8.ToArray();
        var bytes = Written(w =>
        {
            w.WriteStart();
            w.WriteProcessingFailed(id, []);
            w.WriteProcessingFailed(id, []);
            w.WriteProcessingFailed(id, []);
            w.WriteEnd();
        });

        bytes.Length.Should().Be(FirehoseAnswerSize.Envelope + 2 + 3 * (int)FirehoseAnswerSize.ProcessingFailed(1, 0));
        Encoding.UTF8.GetString(bytes).Should().StartWith("{\"records\":[{").And.EndWith("}]}");
    }
}
