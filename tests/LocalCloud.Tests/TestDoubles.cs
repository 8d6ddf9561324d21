using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Pipelines.LocalCloud.EventSources;
using Pipelines.LocalCloud.Functions;

namespace Pipelines.Tests.LocalCloud;

/// <summary>A function in this process: records every event it gets and answers with what the test scripts.</summary>
internal sealed class ScriptedFunction(Func<JsonObject, int, InvocationResult> respond) : IFunctionInvoker
{
    private int _calls;

    public ConcurrentQueue<JsonObject> Events { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    public Task<InvocationResult> InvokeAsync(string functionName, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var e = JsonNode.Parse(payload.Span)!.AsObject();
        Events.Enqueue(e);
        var call = Interlocked.Increment(ref _calls);
        return Task.FromResult(respond(e, call));
    }

    public static InvocationResult Ok(string json = "{}") => InvocationResult.Success(Guid.NewGuid().ToString(), Encoding.UTF8.GetBytes(json));

    public static InvocationResult Fail() => InvocationResult.Error(Guid.NewGuid().ToString(), "Exception", "boom");

    public static InvocationResult PartialFailure(params string[] ids) => Ok(new JsonObject
    {
        ["batchItemFailures"] = new JsonArray(ids.Select(id => (JsonNode)new JsonObject { ["itemIdentifier"] = id }).ToArray()),
    }.ToJsonString());

    /// <summary>The sequence numbers (Kinesis or DynamoDB) of an event's records, in order.</summary>
    public static List<string> Sequences(JsonObject e) => e["Records"]!.AsArray()
        .Select(r => (r!["kinesis"]?["sequenceNumber"] ?? r["dynamodb"]!["SequenceNumber"])!.GetValue<string>()).ToList();
}

/// <summary>Collects on-failure records instead of sending them to SQS.</summary>
internal sealed class CollectingDestination : IOnFailureDestination
{
    public ConcurrentQueue<JsonObject> Records { get; } = new();

    public Task SendAsync(JsonObject record, CancellationToken cancellationToken)
    {
        Records.Enqueue(record);
        return Task.CompletedTask;
    }
}

/// <summary>A stream source over a fixed list of records (unit tests of the settler need no emulator).</summary>
internal sealed class FixedShardSource : IStreamShardSource
{
    public string StreamArn => "arn:aws:kinesis:us-east-1:123456789012:stream/test-stream";

    public string BatchInfoName => "KinesisBatchInfo";

    public static List<StreamSourceRecord> Records(int count, DateTimeOffset? arrival = null) => Enumerable.Range(1, count)
        .Select(i =>
        {
            var seq = (49_000_000_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var json = KinesisEventJson.Record("arn:aws:kinesis:us-east-1:123456789012:stream/test-stream", "shardId-000000000000", seq,
                "pk" + i, Encoding.UTF8.GetBytes("record " + i), arrival ?? DateTimeOffset.UtcNow, "fn");
            return new StreamSourceRecord("shardId-000000000000", seq, arrival ?? DateTimeOffset.UtcNow, json, 100);
        }).ToList();

    public Task<IReadOnlyList<string>> ListShardsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(["shardId-000000000000"]);

    public Task<IShardCursor> OpenAsync(string shardId, string startingPosition, string? afterSequenceNumber, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the settler tests hand batches over directly");
}
