using System.Globalization;
using System.Text;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>
/// One Kinesis shard: records in sequence order with real-looking 56-digit sequence numbers, sliced into the exact
/// event shape Lambda delivers (see Fixtures/kinesis-event.json).
/// </summary>
internal sealed class FakeShard(string shardId, string streamName = "event-ingestion-stream")
{
    private const string SequencePrefix = "49590338271490256608559692538361571095921575989"; // 47 digits + 9 = 56
    private readonly List<KinesisEventRecord> _records = [];

    public string ShardId { get; } = shardId;

    public IReadOnlyList<KinesisEventRecord> Records => _records;

    public int Count => _records.Count;

    public KinesisEventRecord Add(byte[] data, string? partitionKey = null) => AddBase64(Convert.ToBase64String(data), partitionKey);

    public KinesisEventRecord Add(string json) => Add(Encoding.UTF8.GetBytes(json));

    public KinesisEventRecord AddBase64(string base64, string? partitionKey = null)
    {
        // Shards are distinguished in the sequence numbers too, so ids are unique across test shards.
        var shardDigit = ShardId[^1];
        var sequence = SequencePrefix[..^1] + shardDigit + (_records.Count * 10 + 1).ToString("D9", CultureInfo.InvariantCulture);
        var record = new KinesisEventRecord
        {
            Kinesis = new KinesisRecord
            {
                KinesisSchemaVersion = "1.0",
                PartitionKey = partitionKey ?? $"pk-{_records.Count % 5}",
                SequenceNumber = sequence,
                Data = base64,
                ApproximateArrivalTimestamp = 1_709_294_400.25 + _records.Count * 0.001,
            },
            EventSource = "aws:kinesis",
            EventVersion = "1.0",
            EventId = $"{ShardId}:{sequence}",
            EventName = "aws:kinesis:record",
            InvokeIdentityArn = "arn:aws:iam::123456789012:role/event-archiver",
            AwsRegion = "us-east-1",
            EventSourceArn = $"arn:aws:kinesis:us-east-1:123456789012:stream/{streamName}",
        };
        _records.Add(record);
        return record;
    }

    public KinesisEvent Batch(int from, int count)
    {
        var evt = new KinesisEvent();
        evt.Records.AddRange(_records.Skip(from).Take(count));
        return evt;
    }

    public int IndexOf(string sequenceNumber) =>
        _records.FindIndex(r => r.Kinesis.SequenceNumber == sequenceNumber) is var i and >= 0
            ? i
            : throw new InvalidOperationException($"sequence number {sequenceNumber} is not in {ShardId}");
}
