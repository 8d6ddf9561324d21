using Pipelines.Catalog.Processing;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Events;
using Pipelines.Shared.Runtime;

namespace Pipelines.Catalog;

/// <summary>catalog-consolidator: SQS batch of S3 notifications in, partial batch response out.</summary>
internal sealed class CatalogConsolidatorHandler(CatalogBatchProcessor processor, Tunables tunables, CatalogSettings settings)
    : JsonHandler<SqsEvent, BatchResponse>(EventJsonContext.Default.SqsEvent, EventJsonContext.Default.BatchResponse)
{
    protected override async Task<BatchResponse> HandleAsync(SqsEvent input, ILambdaContext context, CancellationToken cancellationToken)
    {
        await tunables.RefreshIfStaleAsync(cancellationToken);
        return await processor.ProcessAsync(input, context, settings.WithTunables(tunables), cancellationToken);
    }
}
