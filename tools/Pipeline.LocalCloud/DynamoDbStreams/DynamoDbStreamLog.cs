using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.EventSources;

namespace Pipelines.LocalCloud.DynamoDbStreams;

/// <summary>
/// The stream of one table: change records in commit order, one shard, sequence numbers that strictly increase.
/// Each record is stored in the shape of a DynamoDB event record as Lambda delivers it.
/// </summary>
public sealed class DynamoDbStreamLog
{
    // 28-digit sequence numbers like the ones AWS hands out; fixed width keeps string order equal to numeric order.
    private static readonly BigInteger SequenceBase = BigInteger.Pow(10, 27);

    private readonly List<StreamSourceRecord> _records = [];
    private readonly Lock _gate = new();
    private long _counter;

    public string TableName { get; }
    public string StreamViewType { get; }
    public string StreamLabel { get; }
    public string StreamArn { get; }
    public string ShardId { get; }
    public IReadOnlyList<string> KeyAttributes { get; }

    public DynamoDbStreamLog(string tableName, string streamViewType, IReadOnlyList<string> keyAttributes, DateTimeOffset createdAt)
    {
        TableName = tableName;
        StreamViewType = streamViewType;
        KeyAttributes = keyAttributes;
        StreamLabel = createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);
        StreamArn = $"arn:aws:dynamodb:{LocalCredentials.Region}:{LocalCredentials.AccountId}:table/{tableName}/stream/{StreamLabel}";
        ShardId = string.Create(CultureInfo.InvariantCulture, $"shardId-{createdAt.ToUnixTimeMilliseconds():D20}-{Math.Abs(tableName.GetHashCode(StringComparison.Ordinal)) % 100_000_000:D8}");
    }

    public int Count
    {
        get { lock (_gate) return _records.Count; }
    }

    /// <summary>Appends a change (old and new image; either may be null) and returns the stored record.</summary>
    /// <param name="userIdentity">Set for TTL deletions: <c>{"type":"Service","principalId":"dynamodb.amazonaws.com"}</c>.</param>
    public StreamSourceRecord Append(JsonObject keys, JsonObject? oldImage, JsonObject? newImage, DateTimeOffset at, JsonObject? userIdentity = null)
    {
        var eventName = (oldImage, newImage) switch
        {
            (null, not null) => "INSERT",
            (not null, null) => "REMOVE",
            (not null, not null) => "MODIFY",
            _ => throw new ArgumentException("a change needs an old or a new image"),
        };
        lock (_gate)
        {
            var sequence = (SequenceBase + ++_counter).ToString(CultureInfo.InvariantCulture);
            var dynamodb = new JsonObject
            {
                ["ApproximateCreationDateTime"] = at.ToUnixTimeSeconds(),
                ["Keys"] = keys.DeepClone(),
            };
            if (newImage is not null && StreamViewType is "NEW_IMAGE" or "NEW_AND_OLD_IMAGES") dynamodb["NewImage"] = newImage.DeepClone();
            if (oldImage is not null && StreamViewType is "OLD_IMAGE" or "NEW_AND_OLD_IMAGES") dynamodb["OldImage"] = oldImage.DeepClone();
            dynamodb["SequenceNumber"] = sequence;
            dynamodb["SizeBytes"] = SizeOf(keys) + SizeOf(newImage) + SizeOf(oldImage);
            dynamodb[nameof(StreamViewType)] = StreamViewType;

            var record = new JsonObject
            {
                ["eventID"] = Guid.NewGuid().ToString("N"),
                ["eventName"] = eventName,
                ["eventVersion"] = "1.1",
                ["eventSource"] = "aws:dynamodb",
                ["awsRegion"] = LocalCredentials.Region,
                ["dynamodb"] = dynamodb,
                ["eventSourceARN"] = StreamArn,
            };
            if (userIdentity is not null) record["userIdentity"] = userIdentity.DeepClone();
            var stored = new StreamSourceRecord(ShardId, sequence, at, record, Encoding.UTF8.GetByteCount(record.ToJsonString()));
            _records.Add(stored);
            return stored;
        }
    }

    /// <summary>Up to <paramref name="limit"/> records from position <paramref name="from"/> (0 = trim horizon).</summary>
    public IReadOnlyList<StreamSourceRecord> Read(int from, int limit)
    {
        lock (_gate)
        {
            if (from >= _records.Count) return [];
            return _records.GetRange(from, Math.Min(limit, _records.Count - from));
        }
    }

    public IReadOnlyList<StreamSourceRecord> All()
    {
        lock (_gate) return [.. _records];
    }

    private static int SizeOf(JsonObject? image) => image is null ? 0 : Encoding.UTF8.GetByteCount(image.ToJsonString());
}
