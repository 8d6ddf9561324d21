using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>
/// The SDK client the claim store keeps for its duplicate lookup (BatchGetItem), answering in memory that no
/// duplicate was planned before (as for a first delivery), and counting the lookups.
/// </summary>
internal sealed class NoDuplicatePlansDynamoDb()
    : AmazonDynamoDBClient(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9", AuthenticationRegion = "us-east-1" })
{
    private int _lookups;

    public int Lookups => _lookups;

    public override Task<BatchGetItemResponse> BatchGetItemAsync(BatchGetItemRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lookups);
        return Task.FromResult(new BatchGetItemResponse
        {
            Responses = request.RequestItems.ToDictionary(t => t.Key, _ => new List<Dictionary<string, AttributeValue>>()),
            UnprocessedKeys = [],
        });
    }
}
