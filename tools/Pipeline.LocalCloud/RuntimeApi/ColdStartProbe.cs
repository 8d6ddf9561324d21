using System.Diagnostics;

namespace Pipelines.LocalCloud.RuntimeApi;

/// <summary>One cold start: a fresh process, from its start to the first response on the loopback Runtime API.</summary>
/// <remarks><see cref="ProcessorTime"/> (CPU used by the process up to the response) barely moves when the machine is busy,
/// unlike the wall-clock <see cref="ToFirstResponse"/>.</remarks>
public sealed record ColdStartSample(FunctionLaunchKind Kind, TimeSpan ToFirstResponse, TimeSpan ProcessorTime, InvokeStatus Status, string? ErrorType);

/// <summary>Summary of several cold starts of one build of a function.</summary>
public sealed record ColdStartSummary(string FunctionName, FunctionLaunch Launch, IReadOnlyList<ColdStartSample> Samples)
{
    public TimeSpan Median => Percentile(0.5);
    public TimeSpan MedianProcessorTime => MedianOf(Samples.Select(s => s.ProcessorTime));
    public TimeSpan Min => Samples.Count == 0 ? TimeSpan.Zero : Samples.Min(s => s.ToFirstResponse);
    public TimeSpan Max => Samples.Count == 0 ? TimeSpan.Zero : Samples.Max(s => s.ToFirstResponse);
    public int Failures => Samples.Count(s => s.Status != InvokeStatus.Ok);

    private static TimeSpan MedianOf(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return TimeSpan.Zero;
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public TimeSpan Percentile(double p)
    {
        if (Samples.Count == 0) return TimeSpan.Zero;
        var sorted = Samples.Select(s => s.ToFirstResponse).Order().ToList();
        if (sorted.Count % 2 == 0 && Math.Abs(p - 0.5) < 1e-9) return (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }
}

/// <summary>
/// Measures cold starts the way Lambda experiences them: start the function process, send one invocation right away,
/// and time from process start to the response arriving (runtime start + init + first invocation).
/// </summary>
public static class ColdStartProbe
{
    public static async Task<ColdStartSummary> MeasureAsync(string functionName, FunctionLaunch launch, ReadOnlyMemory<byte> payload,
        IReadOnlyDictionary<string, string> environment, int runs, TimeSpan timeout, Action<FunctionOutputLine>? onOutput = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var samples = new List<ColdStartSample>(runs);
        for (var i = 0; i < runs; i++)
        {
            await using var fn = await FunctionProcess.StartAsync(functionName, environment,
                new FunctionProcessOptions { Launch = launch, OnOutput = onOutput, Timeout = timeout }, cancellationToken).ConfigureAwait(false);
            var result = await fn.InvokeAsync(payload, timeout, cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(fn.ProcessStartTimestamp, result.CompletedTimestamp);
            var cpu = fn.ProcessorTime ?? TimeSpan.Zero;
            samples.Add(new ColdStartSample(launch.Kind, elapsed, cpu, result.Status, result.ErrorType));
        }
        return new ColdStartSummary(functionName, launch, samples);
    }

    /// <summary>A valid, empty event of the function's source type: it exercises init and one invocation, no AWS calls.</summary>
    public static byte[] EmptyEventFor(string sourceType) => sourceType switch
    {
        "firehose" => """{"invocationId":"coldstart","deliveryStreamArn":"arn:aws:firehose:us-east-1:000000000000:deliverystream/coldstart","region":"us-east-1","records":[]}"""u8.ToArray(),
        _ => """{"Records":[]}"""u8.ToArray(),
    };
}
