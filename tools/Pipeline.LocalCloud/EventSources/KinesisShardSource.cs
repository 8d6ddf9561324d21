using Pipelines.Shared.Aws;

namespace Pipelines.LocalCloud.EventSources;

/// <summary>Polls a Kinesis stream (kinesalite) with GetShardIterator/GetRecords, as Lambda's standard-iterator poller does.</summary>
public sealed class KinesisShardSource(KinesisClient kinesis, string streamName, string functionName) : IStreamShardSource
{
    private KinesisClient Kinesis { get; } = kinesis;
    private string StreamName { get; } = streamName;
    private string FunctionName { get; } = functionName;

    public string StreamArn { get; } = KinesisEventJson.StreamArn(streamName);

    public string BatchInfoName => "KinesisBatchInfo";

    public async Task<IReadOnlyList<string>> ListShardsAsync(CancellationToken cancellationToken) =>
        (await Kinesis.ListShardsAsync(StreamName, cancellationToken)).Select(s => s.ShardId).ToList();

    public Task<IShardCursor> OpenAsync(string shardId, string startingPosition, string? afterSequenceNumber, CancellationToken cancellationToken) =>
        Task.FromResult<IShardCursor>(new Cursor(this, shardId, startingPosition, afterSequenceNumber));

    private sealed class Cursor(KinesisShardSource owner, string shardId, string startingPosition, string? afterSequenceNumber) : IShardCursor
    {
        /// <summary>Kinesis iterators expire after 5 minutes; one kept across empty reads is renewed before that.</summary>
        private static readonly TimeSpan IteratorRenewal = TimeSpan.FromMinutes(4);

        private string? _iterator;
        private DateTimeOffset _iteratorIssued;
        private string? _lastSequence = afterSequenceNumber;
        private bool _closed;

        public async Task<IReadOnlyList<StreamSourceRecord>> ReadAsync(int limit, CancellationToken ct)
        {
            if (_closed) return [];
            GetRecordsResult result;
            try
            {
                if (_iterator is null || DateTimeOffset.UtcNow - _iteratorIssued > IteratorRenewal)
                {
                    _iterator = await NewIteratorAsync(ct);
                    _iteratorIssued = DateTimeOffset.UtcNow;
                }
                result = await owner.Kinesis.GetRecordsAsync(_iterator, Math.Clamp(limit, 1, 10_000), ct);
            }
            catch
            {
                // Iterators expire (and die with a restarted emulator): resume after the last record returned.
                _iterator = null;
                throw;
            }
            if (result.NextShardIterator is null)
            {
                _closed = true;
                _iterator = null;
            }
            else if (result.Records.Count > 0)
            {
                _iterator = result.NextShardIterator;
                _iteratorIssued = DateTimeOffset.UtcNow;
            }
            // After an empty read the same iterator is read again. kinesalite's next iterator after an empty read
            // starts at the current second, so a record being written during that read with an earlier second (the
            // stream's first record, whose index the iterator shares) was skipped: one review went missing that way.
            var records = new List<StreamSourceRecord>(result.Records.Count);
            foreach (var r in result.Records)
            {
                var arrival = r.ApproximateArrivalTimestamp is { } t
                    ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(t * 1000))
                    : DateTimeOffset.UtcNow;
                var json = KinesisEventJson.Record(owner.StreamArn, shardId, r.SequenceNumber, r.PartitionKey, r.Data, arrival, owner.FunctionName);
                records.Add(new StreamSourceRecord(shardId, r.SequenceNumber, arrival, json, (r.Data.Length * 4 / 3) + 400));
                _lastSequence = r.SequenceNumber;
            }
            return records;
        }

        private Task<string> NewIteratorAsync(CancellationToken ct) => _lastSequence is null
            ? owner.Kinesis.GetShardIteratorAsync(owner.StreamName, shardId, startingPosition, cancellationToken: ct)
            : owner.Kinesis.GetShardIteratorAsync(owner.StreamName, shardId, ShardIteratorType.AfterSequenceNumber, _lastSequence, cancellationToken: ct);
    }
}
