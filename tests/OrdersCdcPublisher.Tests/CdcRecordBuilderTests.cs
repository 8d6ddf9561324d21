using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Cdc.Domain;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.OrdersCdcPublisher;

public class CdcRecordBuilderTests
{
    private const string OrderId = "0f8fad5b-d9cb-469f-a165-70867728950e";

    private static (CdcBuildResult Result, string Json) Build(DynamoDBStreamRecord record)
    {
        var result = CdcRecordBuilder.Build(record);
        return (result, result.Json is null ? "" : Encoding.UTF8.GetString(result.Json));
    }

    [Test]
    public void Insert_carries_the_new_image_and_the_cdc_fields()
    {
        var (result, json) = Build(Fixtures.Record("orders-stream-event.json", 0));

        result.IsOk.Should().BeTrue(result.RejectReason);
        result.OrderId.Should().Be(OrderId);
        json.Should().Be(
            "{\"orderid\":\"" + OrderId + "\",\"product_name\":\"Kindle Paperwhite (16 GB)\",\"quantity\":2,\"price\":149.99," +
            "\"creation_datetime\":\"2024-03-07T23:29:58Z\"," +
            "\"customer\":{\"customer_id\":\"C-1042\",\"country\":\"DE\",\"loyalty_points\":123456789012345678901234567890}," +
            "\"tags\":[\"electronics\",\"gift\"],\"expires_at\":1712446198," +
            "\"cdc_event_type\":\"INSERT\",\"cdc_timestamp\":\"2024-03-07T23:30:00.000Z\"," +
            "\"cdc_sequence_number\":\"1100000000000136137170\",\"cdc_ttl_expired\":false}");
    }

    [Test]
    public void Modify_carries_the_new_image_not_the_old_one()
    {
        var (_, json) = Build(Fixtures.Record("orders-stream-event.json", 1));
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;

        root.GetProperty("cdc_event_type").GetString().Should().Be("MODIFY");
        root.GetProperty("quantity").GetRawText().Should().Be("3");
        root.GetProperty("price").GetRawText().Should().Be("139.5");
        root.GetProperty("cdc_timestamp").GetString().Should().Be("2024-03-07T23:31:00.000Z");
        root.GetProperty("cdc_sequence_number").GetString().Should().Be("1200000000000136137180");
    }

    [Test]
    public void A_user_delete_carries_the_old_image_and_is_not_a_ttl_expiry()
    {
        var (result, json) = Build(Fixtures.Record("orders-stream-event.json", 2));
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;

        result.OrderId.Should().Be(OrderId);
        root.GetProperty("cdc_event_type").GetString().Should().Be("REMOVE");
        root.GetProperty("product_name").GetString().Should().Be("Kindle Paperwhite (16 GB)");
        root.GetProperty("quantity").GetRawText().Should().Be("3");
        root.GetProperty("cdc_ttl_expired").GetBoolean().Should().BeFalse();
    }

    [Test]
    public void A_delete_made_by_ttl_is_marked_expired()
    {
        var (result, json) = Build(Fixtures.Record("orders-stream-event.json", 3));
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;

        result.OrderId.Should().Be("7c9e6679-7425-40de-944b-e07fc1f90ae7");
        root.GetProperty("cdc_event_type").GetString().Should().Be("REMOVE");
        root.GetProperty("cdc_ttl_expired").GetBoolean().Should().BeTrue();
        root.GetProperty("product_name").GetString().Should().Be("Echo Dot (5th Gen)");
    }

    [TestCase("Service", "someone.amazonaws.com")]
    [TestCase("User", "dynamodb.amazonaws.com")]
    public void Only_the_dynamodb_service_principal_means_ttl(string type, string principal)
    {
        var record = Fixtures.Record("orders-stream-event.json", 3);
        record.UserIdentity = new StreamIdentity { Type = type, PrincipalId = principal };

        var (_, json) = Build(record);

        JsonDocument.Parse(json).RootElement.GetProperty("cdc_ttl_expired").GetBoolean().Should().BeFalse();
    }

    [TestCase(1709854200.0, "2024-03-07T23:30:00.000Z")]
    [TestCase(1709854200.25, "2024-03-07T23:30:00.250Z")]
    [TestCase(1709854200250.0, "2024-03-07T23:30:00.250Z")] // milliseconds, as Kinesis Data Streams for DynamoDB sends
    public void Cdc_timestamp_is_iso_8601_utc_from_seconds_or_milliseconds(double approximate, string expected)
    {
        var record = Fixtures.Record("orders-stream-event.json", 0);
        record.Dynamodb.ApproximateCreationDateTime = approximate;

        var (_, json) = Build(record);

        JsonDocument.Parse(json).RootElement.GetProperty("cdc_timestamp").GetString().Should().Be(expected);
    }

    [Test]
    public void A_record_without_creation_time_gets_a_null_timestamp()
    {
        var record = Fixtures.Record("orders-stream-event.json", 0);
        record.Dynamodb.ApproximateCreationDateTime = null;

        var (_, json) = Build(record);

        JsonDocument.Parse(json).RootElement.GetProperty("cdc_timestamp").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Test]
    public void Item_attributes_named_like_cdc_fields_do_not_duplicate_them()
    {
        var record = Fixtures.Record("orders-stream-event.json", 0);
        record.Dynamodb.NewImage!["cdc_event_type"] = AttributeValue.FromString("spoofed");
        record.Dynamodb.NewImage!["cdc_sequence_number"] = AttributeValue.FromString("0");

        var (_, json) = Build(record);

        json.Should().NotContain("spoofed");
        var names = JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).ToList();
        names.Should().OnlyHaveUniqueItems();
        JsonDocument.Parse(json).RootElement.GetProperty("cdc_sequence_number").GetString().Should().Be("1100000000000136137170");
    }

    [Test]
    public void With_only_keys_in_the_record_the_orderid_still_comes_through()
    {
        var record = Fixtures.Record("orders-stream-event.json", 2);
        record.Dynamodb.OldImage = null;
        record.Dynamodb.StreamViewType = "KEYS_ONLY";

        var (result, json) = Build(record);

        result.IsOk.Should().BeTrue();
        json.Should().StartWith("{\"orderid\":\"" + OrderId + "\",\"cdc_event_type\":\"REMOVE\"");
    }

    [Test]
    public void Aws_sample_records_without_an_orderid_are_rejected_with_the_reason()
    {
        var records = Fixtures.StreamEvent("dynamodb-stream-aws-sample.json").Records;

        records.Should().HaveCount(3);
        records.Select(r => CdcRecordBuilder.Build(r).RejectReason)
            .Should().AllBe("no orderid (type S) in Keys or the item image");
    }

    [Test]
    public void An_unknown_event_name_is_rejected()
    {
        var record = Fixtures.Record("orders-stream-event.json", 0);
        record.EventName = "UPSERT";

        var result = CdcRecordBuilder.Build(record);

        result.RejectReason.Should().Be("unknown eventName 'UPSERT'");
        result.OrderId.Should().Be(OrderId, "the orderid helps find a rejected change");
    }

    [Test]
    public void An_orderid_of_the_wrong_type_is_rejected()
    {
        var record = Fixtures.Record("orders-stream-event.json", 0);
        record.Dynamodb.Keys!["orderid"] = AttributeValue.FromNumber("42");
        record.Dynamodb.NewImage!["orderid"] = AttributeValue.FromNumber("42");

        CdcRecordBuilder.Build(record).IsOk.Should().BeFalse();
    }

    [Test]
    public void An_attribute_that_cannot_be_converted_is_rejected_with_its_path()
    {
        var record = Fixtures.Record("orders-stream-event.json", 0);
        record.Dynamodb.NewImage!["customer"].M!["loyalty_points"] = AttributeValue.FromNumber("lots");

        CdcRecordBuilder.Build(record).RejectReason.Should().Be("attribute 'customer.loyalty_points': 'lots' is not a number");
    }
}
