using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Pipelines.LocalCloud.Http;

namespace Pipelines.LocalCloud.DynamoDbStreams;

/// <summary>The read side of the DynamoDB Streams API (JSON protocol, target DynamoDBStreams_20120810.*) over the captured logs.</summary>
internal sealed class DynamoDbStreamsApi(DynamoDbChangeCaptureProxy proxy)
{
    public async Task HandleAsync(HttpContext ctx, string operation, byte[] body)
    {
        var request = JsonNode.Parse(body.Length == 0 ? "{}"u8 : body)?.AsObject() ?? [];
        try
        {
            JsonObject response = operation switch
            {
                "ListStreams" => ListStreams(request),
                "DescribeStream" => DescribeStream(request),
                "GetShardIterator" => GetShardIterator(request),
                "GetRecords" => GetRecords(request),
                _ => throw new StreamsException("UnknownOperationException", $"local DynamoDB Streams does not implement {operation}"),
            };
            await AwsJsonResponses.WriteAsync(ctx, response.ToJsonString());
        }
        catch (StreamsException e)
        {
            await AwsJsonResponses.WriteErrorAsync(ctx, "com.amazonaws.dynamodb.v20120810#" + e.Type, e.Message);
        }
    }

    private JsonObject ListStreams(JsonObject request)
    {
        var table = request["TableName"]?.GetValue<string>();
        var streams = proxy.Streams.Where(s => table is null || s.TableName == table)
            .Select(s => (JsonNode)new JsonObject { ["StreamArn"] = s.StreamArn, ["TableName"] = s.TableName, ["StreamLabel"] = s.StreamLabel })
            .ToArray();
        return new JsonObject { ["Streams"] = new JsonArray(streams) };
    }

    private JsonObject DescribeStream(JsonObject request)
    {
        var log = ByArn(request["StreamArn"]?.GetValue<string>());
        var first = log.Read(0, 1);
        return new JsonObject
        {
            ["StreamDescription"] = new JsonObject
            {
                ["StreamArn"] = log.StreamArn,
                ["StreamLabel"] = log.StreamLabel,
                ["StreamStatus"] = "ENABLED",
                ["StreamViewType"] = log.StreamViewType,
                ["TableName"] = log.TableName,
                ["KeySchema"] = new JsonArray(log.KeyAttributes.Select((k, i) =>
                    (JsonNode)new JsonObject { ["AttributeName"] = k, ["KeyType"] = i == 0 ? "HASH" : "RANGE" }).ToArray()),
                ["Shards"] = new JsonArray(new JsonObject
                {
                    ["ShardId"] = log.ShardId,
                    ["SequenceNumberRange"] = new JsonObject { ["StartingSequenceNumber"] = first.Count > 0 ? first[0].SequenceNumber : "0" },
                }),
            },
        };
    }

    private JsonObject GetShardIterator(JsonObject request)
    {
        var log = ByArn(request["StreamArn"]?.GetValue<string>());
        var type = request["ShardIteratorType"]?.GetValue<string>() ?? "TRIM_HORIZON";
        var sequence = request["SequenceNumber"]?.GetValue<string>();
        var all = log.All();
        var position = type switch
        {
            "TRIM_HORIZON" => 0,
            "LATEST" => all.Count,
            "AT_SEQUENCE_NUMBER" => IndexOf(all, sequence),
            "AFTER_SEQUENCE_NUMBER" => IndexOf(all, sequence) + 1,
            _ => throw new StreamsException("ValidationException", $"unknown ShardIteratorType {type}"),
        };
        return new JsonObject { ["ShardIterator"] = Iterator(log, position) };
    }

    private JsonObject GetRecords(JsonObject request)
    {
        var (log, position) = ParseIterator(request["ShardIterator"]?.GetValue<string>());
        var limit = request["Limit"]?.GetValue<int>() ?? 1000;
        var records = log.Read(position, Math.Clamp(limit, 1, 1000));
        var array = records.Select(r =>
        {
            var copy = r.EventRecord.DeepClone().AsObject();
            copy.Remove("eventSourceARN"); // the Streams API record has no ARN; Lambda adds it to events
            return (JsonNode)copy;
        }).ToArray();
        return new JsonObject { ["Records"] = new JsonArray(array), ["NextShardIterator"] = Iterator(log, position + records.Count) };
    }

    private static int IndexOf(IReadOnlyList<EventSources.StreamSourceRecord> all, string? sequence)
    {
        for (var i = 0; i < all.Count; i++)
        {
            if (all[i].SequenceNumber == sequence) return i;
        }
        throw new StreamsException("TrimmedDataAccessException", $"sequence number {sequence} is not in the stream");
    }

    private DynamoDbStreamLog ByArn(string? arn) =>
        proxy.Streams.FirstOrDefault(s => s.StreamArn == arn) ?? throw new StreamsException("ResourceNotFoundException", $"Requested resource not found: Stream: {arn} not found");

    private static string Iterator(DynamoDbStreamLog log, int position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{log.StreamArn}|{position}")));

    private (DynamoDbStreamLog, int) ParseIterator(string? iterator)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(iterator ?? ""));
            var bar = text.LastIndexOf('|');
            return (ByArn(text[..bar]), int.Parse(text[(bar + 1)..], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw new StreamsException("ValidationException", "Invalid ShardIterator");
        }
    }

    private sealed class StreamsException(string type, string message) : Exception(message)
    {
        public string Type { get; } = type;
    }
}
