using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Cdc.Decoding;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.OrdersCdcPublisher.Transcoding;

/// <summary>The CDC JSON the transcoder writes straight from event bytes, against literal expectations.</summary>
public class TranscoderOutputTests
{
    private static async Task<(string Json, string SequenceNumber, int Transcoded)> Transcode(string eventJson)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(eventJson));
        using var payload = await InvocationPayload.ReadAsync(input, CancellationToken.None);
        using var batch = await StreamBatch.DecodeAsync(payload, CancellationToken.None);
        batch.Count.Should().Be(1);
        var built = batch.Build(0);
        built.IsOk.Should().BeTrue(built.RejectReason);
        return (Encoding.UTF8.GetString(built.Json.Span), batch.SequenceNumber(0), batch.TranscodedCount);
    }

    [Test]
    public async Task Every_attribute_type_with_escapes_unicode_and_exact_numbers()
    {
        var (json, sequence, transcoded) = await Transcode("""
            {"Records":[{"eventID":"e1","eventName":"INSERT","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1",
              "dynamodb":{"ApproximateCreationDateTime":1709854200250,"Keys":{"orderid":{"S":"o-1"}},
                "NewImage":{"orderid":{"S":"o-1"},"s":{"S":"quote \" backslash \\ newline \n é 中 \ud83d\ude00 \u00e9"},"empty":{"S":""},
                  "n":{"N":"1E+30"},"tiny":{"N":"-0.000001"},"big":{"N":"99999999999999999999999999999999999999"},"b":{"B":"AAEC"},
                  "yes":{"BOOL":true},"no":{"BOOL":false},"nothing":{"NULL":true},
                  "m":{"M":{"k":{"L":[{"N":"1"},{"SS":["a",""]},{"NS":["2.50","-3"]},{"BS":["AA=="]},{"M":{}}]}}},"l":{"L":[]},
                  "cdc_event_type":{"S":"spoofed"}},
                "SequenceNumber":"7","SizeBytes":300,"StreamViewType":"NEW_AND_OLD_IMAGES"},
              "eventSourceARN":"arn:aws:dynamodb:us-east-1:123456789012:table/OrdersRawTable/stream/2024-03-01T00:00:00.000"}]}
            """);

        transcoded.Should().Be(1, "the record is read from the bytes, not through the object model");
        sequence.Should().Be("7");
        json.Should().Be(
            """{"orderid":"o-1","s":"quote \" backslash \\ newline \n é 中 \uD83D\uDE00 é","empty":"","n":1E+30,"tiny":-0.000001,""" +
            """ "big":99999999999999999999999999999999999999,"b":"AAEC","yes":true,"no":false,"nothing":null,""".TrimStart() +
            """ "m":{"k":[1,["a",""],[2.50,-3],["AA=="],{}]},"l":[],""".TrimStart() +
            """ "cdc_event_type":"INSERT","cdc_timestamp":"2024-03-07T23:30:00.250Z","cdc_sequence_number":"7","cdc_ttl_expired":false}""".TrimStart());
    }

    [Test]
    public async Task A_ttl_delete_named_after_its_image_carries_the_old_image_and_is_marked_expired()
    {
        var (json, _, transcoded) = await Transcode("""
            {"Records":[{"eventID":"e2","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1",
              "dynamodb":{"ApproximateCreationDateTime":1709854200.25,"Keys":{"orderid":{"S":"o-2"}},
                "OldImage":{"orderid":{"S":"o-2"},"a":{"S":"gone"},"expires_at":{"N":"1709854100"}},
                "SequenceNumber":"9","SizeBytes":60,"StreamViewType":"NEW_AND_OLD_IMAGES"},
              "eventSourceARN":"arn:aws:dynamodb:us-east-1:123456789012:table/OrdersRawTable/stream/2024-03-01T00:00:00.000","eventName":"REMOVE",
              "userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"}}]}
            """);

        transcoded.Should().Be(1);
        json.Should().Be(
            """{"orderid":"o-2","a":"gone","expires_at":1709854100,"cdc_event_type":"REMOVE","cdc_timestamp":"2024-03-07T23:30:00.250Z",""" +
            """ "cdc_sequence_number":"9","cdc_ttl_expired":true}""".TrimStart());
    }

    [Test]
    public async Task A_keys_only_delete_without_a_creation_time_carries_the_keys_and_a_null_timestamp()
    {
        var (json, _, transcoded) = await Transcode("""
            {"Records":[{"eventID":"e3","eventName":"REMOVE","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1",
              "dynamodb":{"Keys":{"orderid":{"S":"o-3"},"line":{"N":"2"}},"SequenceNumber":"11","SizeBytes":20,"StreamViewType":"KEYS_ONLY",
                "unknownMember":{"S":"ignored"}},
              "eventSourceARN":"arn:aws:dynamodb:us-east-1:123456789012:table/OrdersRawTable/stream/2024-03-01T00:00:00.000"}]}
            """);

        transcoded.Should().Be(1);
        json.Should().Be("""{"orderid":"o-3","line":2,"cdc_event_type":"REMOVE","cdc_timestamp":null,"cdc_sequence_number":"11","cdc_ttl_expired":false}""");
    }
}
