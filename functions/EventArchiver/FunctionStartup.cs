using Pipelines.Events.Aws;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;

namespace Pipelines.Events;

/// <summary>Builds the handler once per container from the environment Terraform (or the local cloud) sets.</summary>
internal static class FunctionStartup
{
    public static async Task<IStreamHandler> CreateHandlerAsync(CancellationToken cancellationToken)
    {
        var eventsBucket = EnvironmentSettings.Require("EVENTS_BUCKET");
        var dedupTable = EnvironmentSettings.Require("DEDUP_TABLE");
        var rejectedBucket = EnvironmentSettings.Require("REJECTED_BUCKET");
        var rejectedPrefix = EnvironmentSettings.Optional("REJECTED_PREFIX", "rejected/");
        var s3 = AwsSdkClients.CreateS3();
        var tunables = await Tunables.LoadAsync(cancellationToken);
        // Endpoint (AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL), region and credentials as the SDK would read them.
        var dynamoDb = AwsClientOptions.FromEnvironment(AwsService.DynamoDb, Environment.GetEnvironmentVariable);
        return new EventArchiverHandler(
            DynamoDbClaimStore.Create(dynamoDb, AwsSdkClients.CreateDynamoDb(), dedupTable),
            new S3ArchiveStore(s3, eventsBucket),
            new S3RejectSink(new RejectedRecordsWriter(s3, rejectedBucket, rejectedPrefix)),
            tunables,
            TimeProvider.System);
    }
}
