using System.Text;
using System.Text.Json.Nodes;
using Pipelines.LocalCloud.Functions;

namespace Pipelines.LocalCloud.EventSources;

/// <summary>
/// Takes one batch read from a shard to a final outcome with Lambda's stream semantics:
/// <list type="bullet">
/// <item>complete success checkpoints past the batch;</item>
/// <item>a partial batch response checkpoints before the lowest failed sequence number and retries only the records
/// from there (counts as a retry);</item>
/// <item>a function error bisects the batch when BisectBatchOnFunctionError is on (bisecting does not use the retry quota),
/// otherwise retries the batch;</item>
/// <item>after MaximumRetryAttempts retries, or once records are older than MaximumRecordAge, it sends an on-failure
/// record for what is left and moves on.</item>
/// </list>
/// Records are processed in order: a later part of the batch is only invoked once the earlier part is settled.
/// </summary>
public sealed class StreamBatchSettler(
    StreamMappingSettings settings,
    IStreamShardSource source,
    IFunctionInvoker invoker,
    IOnFailureDestination? onFailure,
    MappingStats stats,
    TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private sealed record Work(List<StreamSourceRecord> Records, int RetriesUsed, int InvokeCount);

    public async Task SettleAsync(string shardId, IReadOnlyList<StreamSourceRecord> batch, CancellationToken ct)
    {
        // A stack keeps order: the first half of a bisected batch is settled before the second.
        var work = new Stack<Work>();
        work.Push(new Work([.. batch], 0, 0));
        while (work.Count > 0)
        {
            var item = work.Pop();
            var records = item.Records;

            var expired = ExpiredPrefix(records);
            if (expired > 0)
            {
                await GiveUpAsync(shardId, records[..expired], OnFailureRecord.RecordAgeExceeded, item.InvokeCount, "", false, ct);
                if (expired == records.Count) continue;
                records = records[expired..];
            }

            var result = await invoker.InvokeAsync(settings.FunctionName, BuildEvent(records), ct);
            stats.Invoked();
            var invokeCount = item.InvokeCount + 1;

            if (result.IsFunctionError)
            {
                stats.FunctionError();
                if (settings.BisectBatchOnFunctionError && records.Count > 1)
                {
                    var half = records.Count / 2;
                    work.Push(new Work(records[half..], item.RetriesUsed, invokeCount));
                    work.Push(new Work(records[..half], item.RetriesUsed, invokeCount));
                    continue;
                }
                await RetryOrGiveUpAsync(work, shardId, records, item.RetriesUsed, invokeCount, result.RequestId, true, ct);
                continue;
            }

            if (!settings.ReportBatchItemFailures)
            {
                stats.Completed(records.Count);
                continue;
            }

            var ids = records.Select(r => r.SequenceNumber).ToHashSet(StringComparer.Ordinal);
            var parsed = BatchItemFailuresParser.Parse(result.Payload.Span, ids);
            if (parsed.IsCompleteSuccess)
            {
                stats.Completed(records.Count);
                continue;
            }
            if (parsed.IsCompleteFailure)
            {
                // An invalid partial response is a complete failure; Lambda treats it like a function error.
                stats.FunctionError();
                if (settings.BisectBatchOnFunctionError && records.Count > 1)
                {
                    var half = records.Count / 2;
                    work.Push(new Work(records[half..], item.RetriesUsed, invokeCount));
                    work.Push(new Work(records[..half], item.RetriesUsed, invokeCount));
                    continue;
                }
                await RetryOrGiveUpAsync(work, shardId, records, item.RetriesUsed, invokeCount, result.RequestId, true, ct);
                continue;
            }

            stats.PartialFailure();
            var failed = new HashSet<string>(parsed.FailedIdentifiers, StringComparer.Ordinal);
            var checkpoint = records.FindIndex(r => failed.Contains(r.SequenceNumber));
            stats.Completed(checkpoint);
            await RetryOrGiveUpAsync(work, shardId, records[checkpoint..], item.RetriesUsed, invokeCount, result.RequestId, false, ct);
        }
    }

    private async Task RetryOrGiveUpAsync(
        Stack<Work> work, string shardId, List<StreamSourceRecord> records, int retriesUsed, int invokeCount,
        string requestId, bool functionError, CancellationToken ct)
    {
        if (settings.MaximumRetryAttempts >= 0 && retriesUsed >= settings.MaximumRetryAttempts)
        {
            await GiveUpAsync(shardId, records, OnFailureRecord.RetryAttemptsExhausted, invokeCount, requestId, functionError, ct);
            return;
        }
        if (settings.RetryDelay > TimeSpan.Zero) await Task.Delay(settings.RetryDelay, _time, ct);
        work.Push(new Work(records, retriesUsed + 1, invokeCount));
    }

    private async Task GiveUpAsync(
        string shardId, List<StreamSourceRecord> records, string condition, int invokeCount, string requestId, bool functionError,
        CancellationToken ct)
    {
        stats.OnFailure(records.Count);
        if (onFailure is null) return; // no destination: AWS discards the records silently
        var record = OnFailureRecord.Build(
            source.BatchInfoName, settings.FunctionName, source.StreamArn, shardId, records, condition, invokeCount,
            string.IsNullOrEmpty(requestId) ? Guid.NewGuid().ToString() : requestId, functionError, _time.GetUtcNow());
        await onFailure.SendAsync(record, ct);
    }

    private int ExpiredPrefix(List<StreamSourceRecord> records)
    {
        if (settings.MaximumRecordAge is not { } maxAge) return 0;
        var now = _time.GetUtcNow();
        var n = 0;
        while (n < records.Count && now - records[n].ApproximateArrival > maxAge) n++;
        return n;
    }

    private static byte[] BuildEvent(List<StreamSourceRecord> records)
    {
        // Each record's JSON is cloned so the same record can appear in several invocations.
        var array = new JsonArray(records.Select(r => (JsonNode)r.EventRecord.DeepClone()).ToArray());
        return Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = array }.ToJsonString());
    }
}
