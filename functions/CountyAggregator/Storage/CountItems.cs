using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Pipelines.Counties.Domain;

namespace Pipelines.Counties.Storage;

/// <summary>The county-counts table's item shape: key (County, BatchId), then Timestamp, Count and the lineage.</summary>
internal static class CountItems
{
    public const string County = "County";
    public const string BatchId = "BatchId";
    public const string Timestamp = "Timestamp";
    public const string Count = "Count";
    public const string ShardId = "ShardId";
    public const string FirstSequenceNumber = "FirstSequenceNumber";
    public const string LastSequenceNumber = "LastSequenceNumber";

    private const int AttributeCount = 7;

    public static Dictionary<string, AttributeValue> ToItem(CountyBatchCount count) => new(AttributeCount, StringComparer.Ordinal)
    {
        [County] = new AttributeValue { S = count.County },
        [BatchId] = new AttributeValue { S = count.BatchId },
        [Timestamp] = new AttributeValue { S = count.Timestamp },
        [Count] = new AttributeValue { N = count.Count.ToString(CultureInfo.InvariantCulture) },
        [ShardId] = new AttributeValue { S = count.ShardId },
        [FirstSequenceNumber] = new AttributeValue { S = count.FirstSequenceNumber },
        [LastSequenceNumber] = new AttributeValue { S = count.LastSequenceNumber },
    };
}
