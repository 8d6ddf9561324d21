using Pipelines.Reviews.Rejects;
using Pipelines.Reviews.Storage;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;

namespace Pipelines.Reviews;

/// <summary>Builds the handler once per container from the environment Terraform (or the local cloud) sets.</summary>
internal static class FunctionStartup
{
    public static async Task<IStreamHandler> CreateHandlerAsync(CancellationToken cancellationToken)
    {
        var table = EnvironmentSettings.Require("REVIEWS_TABLE");
        var rejectsBucket = EnvironmentSettings.Require("REJECTED_BUCKET");
        var rejectsPrefix = EnvironmentSettings.Optional("REJECTED_PREFIX", "reviews/");
        var tunables = await Tunables.LoadAsync(cancellationToken).ConfigureAwait(false);

        // Endpoint (AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL), region and credentials as the SDK would read them.
        var store = DynamoReviewStore.Create(AwsClientOptions.FromEnvironment(AwsService.DynamoDb, Environment.GetEnvironmentVariable), table);
        var rejects = new S3RejectSink(new RejectedRecordsWriter(AwsSdkClients.CreateS3(), rejectsBucket, rejectsPrefix));
        return new ReviewIngestionHandler(new ReviewBatchProcessor(store, rejects), tunables);
    }
}
