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

    private static OrderLineResult Run(string json) => OrderLineTransform.Transform(Encoding.UTF8.GetBytes(json));

    private static string Line(OrderLineResult r) => Encoding.UTF8.GetString(r.Line!);

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

    [TestCase("2024-03-07T23:30:00Z", "2024", "03", "07")]
    [TestCase("2024-03-07T23:30:00.123456Z", "2024", "03", "07")]
    [TestCase("2024-03-07T23:30:00-05:00", "2024", "03", "08")] // 04:30 UTC the next day
    [TestCase("2024-01-01T00:30:00+02:00", "2023", "12", "31")]
    [TestCase("2024-02-29", "2024", "02", "29")]
    [TestCase("2024-12-31T23:59:59", "2024", "12", "31")] // no offset: taken as UTC
    public void Partition_keys_are_the_utc_date_of_creation_datetime(string created, string year, string month, string day)
    {
        var result = Run(Cdc.Replace("2024-03-07T23:30:00Z", created, StringComparison.Ordinal));

        result.IsOk.Should().BeTrue(result.Error);
        result.Partition.Should().Be(new OrderPartition(year, month, day));
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
}
