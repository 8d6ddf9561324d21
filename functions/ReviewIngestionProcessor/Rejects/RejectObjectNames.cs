using Pipelines.Shared.Sinks;

namespace Pipelines.Reviews.Rejects;

internal static class RejectObjectNames
{
    /// <summary>
    /// <c>&lt;shardId&gt;/&lt;first rejected sequence number&gt;-&lt;hash of all ids&gt;.jsonl</c>: findable by shard and
    /// position, and the same batch redelivered overwrites its own object while a retry with a different set of
    /// rejects writes a new one instead of replacing (and losing) what an earlier attempt stored.
    /// </summary>
    public static string For(string shardId, IReadOnlyList<RejectedRecord> records) =>
        $"{shardId}/{records[0].SourceId}-{RejectedRecordsWriter.ObjectNameFor(records)}";
}
