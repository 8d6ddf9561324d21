using Pipelines.Shared.Aws;

namespace Pipelines.Orders.Cdc.Publishing;

/// <summary>Sends one PutRecords call to the sales stream and reports each entry's error code.</summary>
internal sealed class KinesisRecordSink(KinesisClient client, string streamName) : IRecordBatchSink
{
    public async Task<IReadOnlyList<string?>> PutAsync(IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken)
    {
        var entries = new List<PutRecordsEntry>(records.Count);
        foreach (var r in records) entries.Add(new PutRecordsEntry(r.Data, r.PartitionKey));
        var result = await client.PutRecordsAsync(streamName, entries, cancellationToken);
        return result.Records.Select(e => e.ErrorCode).ToList();
    }
}
