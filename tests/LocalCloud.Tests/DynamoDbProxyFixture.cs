using Amazon.DynamoDBv2;
using NUnit.Framework;
using Pipelines.LocalCloud.DynamoDbStreams;
using Pipelines.LocalCloud.Emulators;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.LocalCloud;

/// <summary>dynalite behind the local cloud's DynamoDB proxy, with an SDK client on the proxy, for the proxy's tests.</summary>
public abstract class DynamoDbProxyFixture
{
    private LocalEmulators _emulators = null!;

    protected DynamoDbChangeCaptureProxy Proxy { get; private set; } = null!;

    protected IAmazonDynamoDB Db { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartProxyAsync()
    {
        _emulators = await LocalEmulators.StartAsync(new EmulatorOptions { Services = EmulatorService.DynamoDb }, CancellationToken.None);
        Proxy = await DynamoDbChangeCaptureProxy.StartAsync(() => _emulators.DynamoDb, 0, CancellationToken.None);
        Db = AwsSdkClients.CreateDynamoDb(Proxy.Endpoint, "us-east-1", new AwsCredentials("S3RVER", "S3RVER"));
    }

    [OneTimeTearDown]
    public async Task StopProxyAsync()
    {
        Db.Dispose();
        await Proxy.DisposeAsync();
        await _emulators.DisposeAsync();
    }
}
