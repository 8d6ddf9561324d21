namespace Pipelines.Orders.Cdc.Publishing;

/// <summary>One CDC record bound for the sales stream; <see cref="Position"/> is its place in the stream batch.</summary>
internal sealed record OutgoingRecord(int Position, string PartitionKey, ReadOnlyMemory<byte> Data)
{
    /// <summary>What counts against PutRecords' 5 MB request limit: data plus UTF-8 partition key.</summary>
    public int RequestBytes { get; } = Data.Length + System.Text.Encoding.UTF8.GetByteCount(PartitionKey);
}

/// <summary>
/// Sends one PutRecords call. Returns, per entry in request order, the entry's error code or null when it
/// was written. Throws when the whole call failed (network, throttled request, missing stream...).
/// </summary>
internal interface IRecordBatchSink
{
    Task<IReadOnlyList<string?>> PutAsync(IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken);
}
