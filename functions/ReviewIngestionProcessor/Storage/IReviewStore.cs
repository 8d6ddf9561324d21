using Pipelines.Reviews.Domain;

namespace Pipelines.Reviews.Storage;

/// <summary>Where reviews are stored. Items have distinct review ids; results line up with the items by index.</summary>
internal interface IReviewStore
{
    Task<ItemWriteResult[]> WriteAsync(IReadOnlyList<ReviewItem> items, SinkSettings settings, CancellationToken cancellationToken);
}
