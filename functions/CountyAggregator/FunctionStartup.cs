using Pipelines.Counties.Rejects;
using Pipelines.Counties.Storage;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;

namespace Pipelines.Counties;

/// <summary>Builds the handler once per container from the environment Terraform (or the local cloud) sets.</summary>
internal static class FunctionStartup
{
    public static async Task<IStreamHandler> CreateHandlerAsync(CancellationToken cancellationToken)
    {
        var table = EnvironmentSettings.Require("COUNTS_TABLE");
        var rejectsBucket = EnvironmentSettings.Require("REJECTED_BUCKET");
        var rejectsPrefix = EnvironmentSettings.Optional("REJECTED_PREFIX", "counties/");
        var tunables = await Tunables.LoadAsync(cancellationToken).ConfigureAwait(false);

        var store = new DynamoCountStore(AwsSdkClients.CreateDynamoDb(), table);
        var rejects = new S3RejectSink(new RejectedRecordsWriter(AwsSdkClients.CreateS3(), rejectsBucket, rejectsPrefix));
        return new CountyAggregatorHandler(new CountyBatchProcessor(store, rejects), tunables);
    }
}
