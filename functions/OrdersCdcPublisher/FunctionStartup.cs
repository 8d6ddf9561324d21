using Pipelines.Orders.Cdc.Publishing;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Resilience;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;

namespace Pipelines.Orders.Cdc;

/// <summary>orders-cdc-publisher's init: names from the environment (set by Terraform), tunables from SSM, clients.</summary>
internal static class FunctionStartup
{
    public static async Task<IStreamHandler> CreateHandlerAsync(CancellationToken cancellationToken)
    {
        var streamName = EnvironmentSettings.Require("SALES_STREAM_NAME");
        var rejectsBucket = EnvironmentSettings.Require("REJECTED_BUCKET");
        var rejectsPrefix = EnvironmentSettings.Optional("REJECTED_PREFIX", "orders/");
        var tunables = await Tunables.LoadAsync(cancellationToken);

        // The publisher retries failed entries itself; the client only retries whole calls that never got an
        // answer, briefly, so one invocation's retries stay well inside the 60 s timeout.
        var kinesisOptions = AwsClientOptions.FromEnvironment(AwsService.Kinesis.EnvironmentId) with
        {
            Retry = new RetryOptions { MaxAttempts = 3, MaxDelay = TimeSpan.FromSeconds(1) },
            AttemptTimeout = TimeSpan.FromSeconds(10),
        };
        var sink = new KinesisRecordSink(new KinesisClient(kinesisOptions), streamName);
        var rejects = new S3RejectedRecordSink(new RejectedRecordsWriter(AwsSdkClients.CreateS3(), rejectsBucket, rejectsPrefix));
        return new CdcPublisherHandler(sink, rejects, tunables);
    }
}
