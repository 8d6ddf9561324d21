namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>
/// Replays what a Lambda Kinesis event source mapping does with ReportBatchItemFailures and BisectBatchOnFunctionError:
/// a reported failure resumes from that sequence number (with a batch that may be shorter or larger than before),
/// a function error (crash) bisects the batch or retries it whole or larger, an exhausted record range is sent to the
/// on-failure destination and skipped, and a batch already handled may be delivered again.
/// </summary>
internal sealed class KinesisMappingDriver(FakeShard shard, ArchiverHarness harness, Random random, int batchSize, int maxRetries = 1000)
{
    /// <summary>Positions skipped after exhausting retries (never required in the archive, but never twice either).</summary>
    public HashSet<int> Discarded { get; } = [];

    public double RedeliveryProbability { get; init; } = 0.2;

    public async Task RunAsync()
    {
        var checkpoint = 0;
        while (checkpoint < shard.Count)
            checkpoint = await ProcessAsync(checkpoint, Math.Min(batchSize, shard.Count - checkpoint), maxRetries);
    }

    /// <summary>Processes [from, from+count) until Lambda would move on; returns the new checkpoint.</summary>
    private async Task<int> ProcessAsync(int from, int count, int retries)
    {
        while (true)
        {
            var result = await harness.InvokeAsync(shard.Batch(from, count));
            if (result.Succeeded)
            {
                if (random.NextDouble() < RedeliveryProbability)
                    await harness.InvokeAsync(shard.Batch(from, count)); // at-least-once: the same batch again
                return from + count;
            }
            if (retries-- <= 0)
            {
                for (var i = from; i < from + count; i++) Discarded.Add(i);
                return from + count;
            }
            if (!result.IsCrash)
            {
                // Resume at the reported record; the retried batch may end earlier, at the same place, or later.
                var at = shard.IndexOf(result.FailedAt!);
                var end = from + count;
                from = at;
                count = random.Next(3) switch
                {
                    0 => Math.Max(1, (end - at) / 2),
                    1 => end - at,
                    _ => Math.Min(shard.Count - at, end - at + random.Next(1, batchSize + 1)),
                };
                continue;
            }
            switch (random.Next(3))
            {
                case 0 when count > 1:
                    // Bisect: the first half until done, then the second half.
                    var mid = await ProcessAsync(from, count / 2, retries);
                    return await ProcessAsync(mid, from + count - mid, retries);
                case 1:
                    count = Math.Min(shard.Count - from, count + random.Next(1, batchSize + 1));
                    break;
            }
        }
    }
}
