using Pipelines.Counties.Domain;
using Pipelines.Shared.Resilience;

namespace Pipelines.Counties.Storage;

/// <summary>Where per-batch county counts go. Puts are keyed (County, BatchId), so re-putting an item overwrites it.</summary>
internal interface ICountStore
{
    /// <summary>True when every item is stored; false when some may not be (the caller then retries the batch).</summary>
    Task<bool> WriteAsync(IReadOnlyList<CountyBatchCount> counts, RetryOptions retry, CancellationToken cancellationToken);
}
