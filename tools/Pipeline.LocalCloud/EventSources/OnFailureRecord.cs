using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.LocalCloud.Emulators;

namespace Pipelines.LocalCloud.EventSources;

/// <summary>
/// The JSON document Lambda sends to a stream mapping's on-failure destination when it gives up on a batch:
/// requestContext, responseContext, version, timestamp and a KinesisBatchInfo / DDBStreamBatchInfo section
/// (AWS's documented shape; the records themselves are not included, only where to find them).
/// </summary>
public static class OnFailureRecord
{
    public const string RetryAttemptsExhausted = "RetryAttemptsExhausted";
    public const string RecordAgeExceeded = "RecordAgeExceeded";

    public static JsonObject Build(
        string batchInfoName, string functionName, string streamArn, string shardId, IReadOnlyList<StreamSourceRecord> batch,
        string condition, int approximateInvokeCount, string requestId, bool functionError, DateTimeOffset now)
    {
        var responseContext = new JsonObject { ["statusCode"] = 200, ["executedVersion"] = "$LATEST" };
        if (functionError) responseContext["functionError"] = "Unhandled";
        return new JsonObject
        {
            ["requestContext"] = new JsonObject
            {
                ["requestId"] = requestId,
                ["functionArn"] = FunctionArn(functionName),
                ["condition"] = condition,
                ["approximateInvokeCount"] = approximateInvokeCount,
            },
            ["responseContext"] = responseContext,
            ["version"] = "1.0",
            ["timestamp"] = IsoMillis(now),
            [batchInfoName] = new JsonObject
            {
                ["shardId"] = shardId,
                ["startSequenceNumber"] = batch[0].SequenceNumber,
                ["endSequenceNumber"] = batch[^1].SequenceNumber,
                ["approximateArrivalOfFirstRecord"] = IsoMillis(batch[0].ApproximateArrival),
                ["approximateArrivalOfLastRecord"] = IsoMillis(batch[^1].ApproximateArrival),
                ["batchSize"] = batch.Count,
                ["streamArn"] = streamArn,
            },
        };
    }

    public static string FunctionArn(string functionName) =>
        $"arn:aws:lambda:{LocalCredentials.Region}:{LocalCredentials.AccountId}:function:{functionName}";

    internal static string IsoMillis(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>Where an event source mapping sends on-failure records (an SQS queue here).</summary>
public interface IOnFailureDestination
{
    Task SendAsync(JsonObject record, CancellationToken cancellationToken);
}
