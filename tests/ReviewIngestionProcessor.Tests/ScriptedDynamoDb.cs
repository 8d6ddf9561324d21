using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary>
/// DynamoDB's BatchWriteItem answered in memory at the HTTP level, as the JSON 1.0 protocol carries it: a table of
/// items by review_id, plus a script of what DynamoDB does to each call (throttle it, leave items unprocessed,
/// refuse it as invalid), answered with DynamoDB's own error bodies.
/// </summary>
internal sealed class ScriptedDynamoDb : HttpMessageHandler
{
    public Dictionary<string, Dictionary<string, AttributeValue>> Items { get; } = new(StringComparer.Ordinal);

    public List<int> BatchSizes { get; } = [];

    /// <summary>Called before each BatchWriteItem: throw a <see cref="DynamoDbError"/> to fail the call, or return keys to leave unprocessed.</summary>
    public Func<int, IReadOnlyList<string>, IEnumerable<string>>? OnBatch { get; set; }

    /// <summary>Items DynamoDB refuses (ValidationException) whatever the call.</summary>
    public Func<Dictionary<string, AttributeValue>, bool> IsInvalid { get; set; } = _ => false;

    /// <summary>Every request as it arrived: its headers and body text.</summary>
    public List<(string Target, string ContentType, string Authorization, string AmzDate, string Body)> Requests { get; } = [];

    private int _calls;
    private int _inFlight;

    public int MaxInFlight { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        var target = Header(request, "X-Amz-Target");
        lock (Items)
        {
            Requests.Add((target, request.Content.Headers.ContentType?.ToString() ?? "", Header(request, "Authorization"), Header(request, "X-Amz-Date"), body));
        }
        if (target != "DynamoDB_20120810.BatchWriteItem")
            return Error(DynamoDbError.Of(400, "com.amazon.coral.service#UnknownOperationException", $"Unknown operation {target}"));

        var inFlight = Interlocked.Increment(ref _inFlight);
        lock (Items) MaxInFlight = Math.Max(MaxInFlight, inFlight);
        try
        {
            // Let concurrent calls overlap so the parallelism bound is observable.
            await Task.Delay(20, cancellationToken);
            var (table, puts) = JsonNode.Parse(body)!["RequestItems"]!.AsObject().Single();
            var items = puts!.AsArray().Select(p => DynamoJson.ToItem(p!["PutRequest"]!["Item"]!.AsObject())).ToList();
            var keys = items.Select(i => i["review_id"].S).ToList();
            lock (Items)
            {
                BatchSizes.Add(items.Count);
                if (keys.Distinct().Count() != keys.Count)
                    return Error(DynamoDbError.Validation("Provided list of item keys contains duplicates"));
                if (items.Any(IsInvalid))
                    return Error(DynamoDbError.Validation("One or more parameter values were invalid: Item size has exceeded the maximum allowed size"));
            }
            HashSet<string> leave;
            try
            {
                leave = (OnBatch?.Invoke(Interlocked.Increment(ref _calls), keys) ?? []).ToHashSet(StringComparer.Ordinal);
            }
            catch (DynamoDbError e)
            {
                return Error(e);
            }
            var unprocessed = new JsonArray();
            lock (Items)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    if (leave.Contains(keys[i])) unprocessed.Add(puts[i]!.DeepClone());
                    else Items[keys[i]] = items[i];
                }
            }
            var answer = new JsonObject { ["UnprocessedItems"] = unprocessed.Count == 0 ? new JsonObject() : new JsonObject { [table] = unprocessed } };
            return Json(HttpStatusCode.OK, answer.ToJsonString());
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public static DynamoDbError Throttled() =>
        DynamoDbError.Of(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", "Rate of requests exceeds the allowed throughput.");

    public static DynamoDbError ServerError() =>
        DynamoDbError.Of(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error");

    /// <summary>A stable text form of the table for comparing end states.</summary>
    public string Dump()
    {
        lock (Items)
        {
            return string.Join("\n", Items.OrderBy(i => i.Key, StringComparer.Ordinal)
                .Select(i => i.Key + "=" + Describe(new AttributeValue { M = i.Value })));
        }
    }

    // Raw values: a SigV4 Authorization value is not one HttpHeaders can parse.
    private static string Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? values.Single() : "";

    private static HttpResponseMessage Error(DynamoDbError error) =>
        Json((HttpStatusCode)error.Status, new JsonObject { ["__type"] = error.Type, ["message"] = error.Message }.ToJsonString());

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/x-amz-json-1.0") };

    private static string Describe(AttributeValue v) =>
        v.S is not null ? JsonSerializer.Serialize(v.S)
        : v.N is not null ? "N" + v.N
        : v.BOOL is { } b ? (b ? "true" : "false")
        : v.NULL == true ? "null"
        : v.L is not null ? "[" + string.Join(",", v.L.Select(Describe)) + "]"
        : "{" + string.Join(",", (v.M ?? []).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + ":" + Describe(e.Value))) + "}";
}

/// <summary>An error DynamoDB answers with: HTTP status, <c>__type</c> and message as on the wire.</summary>
internal sealed class DynamoDbError(int status, string type, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Type { get; } = type;

    public static DynamoDbError Of(int status, string type, string message) => new(status, type, message);

    public static DynamoDbError Validation(string message) => new(400, "com.amazon.coral.validate#ValidationException", message);
}
