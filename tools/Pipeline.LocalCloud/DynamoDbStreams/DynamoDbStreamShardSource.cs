using Pipelines.LocalCloud.EventSources;

namespace Pipelines.LocalCloud.DynamoDbStreams;

/// <summary>Lets a stream event source mapping poll a table's captured change stream.</summary>
public sealed class DynamoDbStreamShardSource(DynamoDbStreamLog log) : IStreamShardSource
{
    public string StreamArn => log.StreamArn;

    public string BatchInfoName => "DDBStreamBatchInfo";

    public Task<IReadOnlyList<string>> ListShardsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([log.ShardId]);

    public Task<IShardCursor> OpenAsync(string shardId, string startingPosition, CancellationToken cancellationToken) =>
        Task.FromResult<IShardCursor>(new Cursor(log, startingPosition == "LATEST" ? log.Count : 0));

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
