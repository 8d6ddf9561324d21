using Pipelines.LocalCloud.EventSources;

namespace Pipelines.LocalCloud.DynamoDbStreams;

/// <summary>Lets a stream event source mapping poll a table's captured change stream.</summary>
public sealed class DynamoDbStreamShardSource(DynamoDbStreamLog log) : IStreamShardSource
{
    public string StreamArn => log.StreamArn;

    public string BatchInfoName => "DDBStreamBatchInfo";

    public Task<IReadOnlyList<string>> ListShardsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([log.ShardId]);

    public Task<IShardCursor> OpenAsync(string shardId, string startingPosition, string? afterSequenceNumber, CancellationToken cancellationToken)
    {
        // The captured stream lives in memory, so a checkpoint from an earlier host names nothing here.
        var all = log.All();
        var after = afterSequenceNumber is null ? -1 : all.ToList().FindIndex(r => r.SequenceNumber == afterSequenceNumber);
        var position = after >= 0 ? after + 1 : startingPosition == "LATEST" ? all.Count : 0;
        return Task.FromResult<IShardCursor>(new Cursor(log, position));
    }

    private sealed class Cursor(DynamoDbStreamLog log, int position) : IShardCursor
    {
        private int _position = position;

        public Task<IReadOnlyList<StreamSourceRecord>> ReadAsync(int limit, CancellationToken cancellationToken)
        {
            var records = log.Read(_position, limit);
            _position += records.Count;
            return Task.FromResult(records);
        }
    }
}
