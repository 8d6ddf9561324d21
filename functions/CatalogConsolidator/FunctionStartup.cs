using Pipelines.Catalog.Priority;
using Pipelines.Catalog.Processing;
using Pipelines.Catalog.Storage;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Runtime;

namespace Pipelines.Catalog;

/// <summary>catalog-consolidator's init: configuration, tunables and SDK clients, built once per container.</summary>
internal static class FunctionStartup
{
    public static async Task<IStreamHandler> CreateHandlerAsync(CancellationToken cancellationToken)
    {
        var outputBucket = EnvironmentSettings.Require(CatalogSettings.OutputBucketVariable);
        var priorityTable = EnvironmentSettings.Require(CatalogSettings.PriorityTableVariable);
        var tunables = await Tunables.LoadAsync(cancellationToken);
        var s3 = AwsSdkClients.CreateS3();
        var dynamo = AwsSdkClients.CreateDynamoDb();
        var processor = new CatalogBatchProcessor(
            new S3CatalogObjectStore(s3),
            new S3CatalogOutputStore(s3, outputBucket),
            new CachedPartnerPriority(new DynamoDbPartnerPrioritySource(dynamo, priorityTable), TimeProvider.System),
            TimeProvider.System);
        return new CatalogConsolidatorHandler(processor, tunables, new CatalogSettings { OutputBucket = outputBucket });
    }
}
