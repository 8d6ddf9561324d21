using Pipelines.Catalog.Domain;
using Pipelines.Catalog.Priority;
using Pipelines.Catalog.Processing;
using Pipelines.Shared.Events;
using Pipelines.Shared.Resilience;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.CatalogConsolidator.Support;

/// <summary>The batch processor wired to in-memory buckets, a fixed clock and a private temp directory.</summary>
internal sealed class ProcessorHarness : IDisposable
{
    public static readonly DateTimeOffset Now = new(2024, 3, 9, 12, 0, 0, TimeSpan.Zero);
    private static readonly RetryOptions NoWait = new() { Delay = (_, _) => Task.CompletedTask };

    private readonly CachedPartnerPriority _cache;

    public ProcessorHarness(PartnerPriorityBook? book = null, IPartnerPrioritySource? source = null)
    {
        Priorities = new StaticPrioritySource(book ?? PartnerPriorityBook.Empty);
        _cache = new CachedPartnerPriority(source ?? Priorities, Clock);
        Processor = new CatalogBatchProcessor(Source, Output, _cache, Clock);
        TempDirectory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "catalog-processor-tests", Guid.NewGuid().ToString("N"));
        Settings = new CatalogSettings
        {
            OutputBucket = Fixtures.OutputBucket,
            TempDirectory = TempDirectory,
            ReadRetry = NoWait with { MaxAttempts = 3 },
            WriteRetry = NoWait with { MaxAttempts = 3 },
        };
    }

    public InMemoryObjectStore Source { get; } = new();
    public InMemoryOutputStore Output { get; } = new();
    public StaticPrioritySource Priorities { get; }
    public FixedClock Clock { get; } = new(Now);
    public CatalogBatchProcessor Processor { get; }
    public string TempDirectory { get; }
    public CatalogSettings Settings { get; set; }

    public async Task<IReadOnlyList<string>> RunAsync(SqsEvent sqsEvent, ILambdaContext? context = null)
    {
        // A hung invocation fails the test instead of stalling the run.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await Processor.ProcessAsync(sqsEvent, context ?? new LambdaContext { AwsRequestId = "r1", Deadline = DateTimeOffset.UtcNow.AddMinutes(1) }, Settings, guard.Token);
        return response.BatchItemFailures.Select(f => f.ItemIdentifier).ToList();
    }

    public void Dispose()
    {
        _cache.Dispose();
        if (Directory.Exists(TempDirectory)) Directory.Delete(TempDirectory, recursive: true);
        if (Directory.Exists(Settings.SpoolDirectory)) Directory.Delete(Settings.SpoolDirectory, recursive: true);
    }
}
