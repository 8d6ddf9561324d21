using Pipelines.LocalCloud.Emulators;
using Pipelines.Reviews.Storage;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary>The function's review store against the emulators' DynamoDB (dynalite), signed with the local credentials.</summary>
internal static class EmulatorStores
{
    public static DynamoReviewStore Reviews(EmulatorFixture emulators, string table) =>
        DynamoReviewStore.Create(
            AwsClientOptions.Create(
                AwsService.DynamoDb,
                emulators.DynamoDbEndpoint,
                LocalCredentials.Region,
                new AwsCredentials(LocalCredentials.AccessKeyId, LocalCredentials.SecretAccessKey)),
            table);
}
