using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Transform.Domain;

namespace Pipelines.Tests.OrdersFirehoseTransform;

public class OrderLineTransformTests
{
    private const string Cdc =
        """{"orderid":"7f3c","product_name":"Kindle Paperwhite","quantity":2,"price":19.99,"creation_datetime":"2024-03-07T23:30:00Z","customer":{"id":"c-1"},"tags":["gift"],"cdc_event_type":"INSERT","cdc_timestamp":"2024-03-07T23:30:01.000Z","cdc_sequence_number":"111","cdc_ttl_expired":false}""";

    private static OrderLineResult Run(string json) => Run(Encoding.UTF8.GetBytes(json));

    // A fresh transform per call: the line stays readable (a transform's next call would reuse its buffer).
    private static OrderLineResult Run(byte[] utf8)
    {
        using var transform = new OrderLineTransform();
        return transform.Transform(utf8);
    }

    private static string Line(OrderLineResult r) => Encoding.UTF8.GetString(r.Line.Span);

    [Test]
    public void Emits_exactly_the_seven_fields_in_order_as_one_newline_terminated_line()
    {
        var result = Run(Cdc);

        result.IsOk.Should().BeTrue(result.Error);
        Line(result).Should().Be(
            """{"orderid":"7f3c","product_name":"Kindle Paperwhite","quantity":2,"price":19.99,"cdc_event_type":"INSERT","creation_datetime":"2024-03-07T23:30:00Z","cdc_timestamp":"2024-03-07T23:30:01.000Z"}""" + "\n");
        Line(result).Count(c => c == '\n').Should().Be(1, "Athena's JSON SerDe reads one row per line");
    }

    [Test]
    public void Keeps_numbers_exactly_as_written()
    {
        var result = Run(Cdc.Replace("\"price\":19.99", "\"price\":123456789012345678901234567890.10", StringComparison.Ordinal)
            .Replace("\"quantity\":2", "\"quantity\":1000000", StringComparison.Ordinal));

        Line(result).Should().Contain("\"quantity\":1000000,\"price\":123456789012345678901234567890.10,");
    }

    [Test]
    public void Keeps_non_ascii_text_as_utf8_and_escapes_what_json_requires()
    {
        var result = Run(Cdc.Replace("Kindle Paperwhite", "Café \\\"Crème\\\" ☕", StringComparison.Ordinal));

        Line(result).Should().Contain("\"product_name\":\"Café \\\"Crème\\\" ☕\"");
        using var doc = JsonDocument.Parse(result.Line);
        doc.RootElement.GetProperty("product_name").GetString().Should().Be("Café \"Crème\" ☕");
    }

    [TestCase("2024-03-07T23:30:00Z", 2024, 3, 7)]
    [TestCase("2024-03-07T23:30:00.123456Z", 2024, 3, 7)]
    [TestCase("2024-03-07T23:30:00-05:00", 2024, 3, 8)] // 04:30 UTC the next day
    [TestCase("2024-01-01T00:30:00+02:00", 2023, 12, 31)]
    [TestCase("2024-02-29", 2024, 2, 29)]
    [TestCase("2024-12-31T23:59:59", 2024, 12, 31)] // no offset: taken as UTC
    [TestCase("0001-01-01", 1, 1, 1)]
    public void Partition_is_the_utc_date_of_creation_datetime(string created, int year, int month, int day)
    {
        var result = Run(Cdc.Replace("2024-03-07T23:30:00Z", created, StringComparison.Ordinal));

        result.IsOk.Should().BeTrue(result.Error);
        result.Partition.Should().Be(new OrderPartition(new DateOnly(year, month, day)));
        Line(result).Should().Contain($"\"creation_datetime\":\"{created}\"", "the line keeps the original text");
    }

    [TestCase("INSERT")]
    [TestCase("MODIFY")]
    [TestCase("REMOVE")]
    public void Accepts_every_cdc_event_type(string type)
    {
        var result = Run(Cdc.Replace("\"INSERT\"", $"\"{type}\"", StringComparison.Ordinal));

        Line(result).Should().Contain($"\"cdc_event_type\":\"{type}\"");
    }

    [Test]
    public void A_null_cdc_timestamp_is_kept_as_null()
    {
        var result = Run(Cdc.Replace("\"2024-03-07T23:30:01.000Z\"", "null", StringComparison.Ordinal));

        Line(result).Should().EndWith(",\"cdc_timestamp\":null}\n");
    }

    [TestCase("not json at all", "not valid JSON")]
    [TestCase("", "not valid JSON")]
    [TestCase("[1,2]", "not a JSON object")]
    [TestCase("\"text\"", "not a JSON object")]
    [TestCase("{\"orderid\":\"a\"", "not valid JSON")]
    public void Malformed_json_fails_the_record_without_throwing(string json, string reason)
    {
        var result = Run(json);

        result.IsOk.Should().BeFalse();
        result.Error.Should().Contain(reason);
    }

    [Test]
    public void Trailing_data_after_the_object_fails_the_record()
    {
        Run(Cdc + Cdc).IsOk.Should().BeFalse();
    }

    [TestCase("orderid")]
    [TestCase("product_name")]
    [TestCase("quantity")]
    [TestCase("price")]
    [TestCase("cdc_event_type")]
    [TestCase("creation_datetime")]
    [TestCase("cdc_timestamp")]
    public void A_missing_field_fails_the_record(string field)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Cdc)!.AsObject();
        node.Remove(field);

        var result = Run(node.ToJsonString());

        result.IsOk.Should().BeFalse();
        result.Error.Should().Be($"missing {field}");
    }

    [TestCase("\"quantity\":2", "\"quantity\":\"2\"", "quantity must be a number")]
    [TestCase("\"quantity\":2", "\"quantity\":0", "quantity must be an integer >= 1")]
    [TestCase("\"quantity\":2", "\"quantity\":1.5", "quantity must be an integer >= 1")]
    [TestCase("\"price\":19.99", "\"price\":-0.01", "price must be a number >= 0")]
    [TestCase("\"price\":19.99", "\"price\":null", "price must be a number")]
    [TestCase("\"orderid\":\"7f3c\"", "\"orderid\":7", "orderid must be a string")]
    [TestCase("\"orderid\":\"7f3c\"", "\"orderid\":\"\"", "missing orderid")]
    [TestCase("\"product_name\":\"Kindle Paperwhite\"", "\"product_name\":{\"S\":\"x\"}", "product_name must be a string")]
    [TestCase("\"INSERT\"", "\"UPSERT\"", "unknown cdc_event_type 'UPSERT'")]
    [TestCase("2024-03-07T23:30:00Z", "07/03/2024", "is not an ISO 8601 date-time")]
    [TestCase("2024-03-07T23:30:00Z", "2024-02-30T00:00:00Z", "is not an ISO 8601 date-time")]
    [TestCase("2024-03-07T23:30:00Z", "2024-03-07Tnoon", "is not an ISO 8601 date-time")]
    public void A_field_with_the_wrong_type_or_value_fails_the_record(string from, string to, string reason)
    {
        var result = Run(Cdc.Replace(from, to, StringComparison.Ordinal));

        result.IsOk.Should().BeFalse();
        result.Error.Should().Contain(reason);
    }

    [Test]
    public void One_transform_serves_a_batch_and_forgets_each_record_before_the_next()
    {
        using var transform = new OrderLineTransform();
        var lines = new List<string?>();
        string[] records = [Cdc, Cdc.Replace("\"price\":19.99,", "", StringComparison.Ordinal), Cdc.Replace("7f3c", "second", StringComparison.Ordinal)];

        foreach (var record in records)
        {
            var result = transform.Transform(Encoding.UTF8.GetBytes(record));
            lines.Add(result.IsOk ? Encoding.UTF8.GetString(result.Line.Span) : result.Error);
        }

        lines[0].Should().StartWith("{\"orderid\":\"7f3c\"");
        lines[1].Should().Be("missing price", "the earlier record's price must not leak into this one");
        lines[2].Should().StartWith("{\"orderid\":\"second\"").And.Contain("\"price\":19.99,");
    }

    [Test]
    public void Escaped_member_names_and_values_are_unescaped()
    {
        var result = Run(Cdc.Replace("\"product_name\":\"Kindle Paperwhite\"", "\"product\\u005fname\":\"\\u00e9t\\u00e9 \\ud83d\\ude00\"", StringComparison.Ordinal));

        result.IsOk.Should().BeTrue(result.Error);
        Line(result).Should().Contain("\"product_name\":\"été ", "non-ASCII stays UTF-8");
        using var doc = JsonDocument.Parse(result.Line);
        doc.RootElement.GetProperty("product_name").GetString().Should().Be("été 😀");
    }

    [Test]
    public void A_record_larger_than_the_buffers_it_starts_with_is_transformed()
    {
        var name = new string('é', 20_000);

        var result = Run(Cdc.Replace("Kindle Paperwhite", name, StringComparison.Ordinal));

        result.IsOk.Should().BeTrue(result.Error);
        Line(result).Should().Contain(name);
    }

    [Test]
    public void Text_that_is_not_valid_unicode_fails_the_record()
    {
        var invalidUtf8 = Encoding.UTF8.GetBytes(Cdc.Replace("Kindle", "Kind?e", StringComparison.Ordinal));
        invalidUtf8[Array.IndexOf(invalidUtf8, (byte)'?')] = 0xFF;

        Run(invalidUtf8).Error.Should().StartWith("not valid JSON");
        Run(Cdc.Replace("Kindle", "\\ud800", StringComparison.Ordinal)).Error.Should().StartWith("not valid JSON");
    }
}
