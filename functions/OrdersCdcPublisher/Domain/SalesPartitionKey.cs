using System.Security.Cryptography;
using System.Text;

namespace Pipelines.Orders.Cdc.Domain;

/// <summary>The Kinesis partition key of an order's CDC records: its orderid, so one order stays on one shard.</summary>
internal static class SalesPartitionKey
{
    /// <summary>Kinesis partition keys are 1..256 Unicode characters; a longer key fails the whole PutRecords call.</summary>
    public const int MaxLength = 256;

    /// <summary>
    /// The orderid itself, or for an orderid longer than Kinesis allows (DynamoDB keys may be 2048 bytes) a stable
    /// SHA-256 of it: still one key per order, so per-order ordering holds, instead of rejecting a valid order.
    /// </summary>
    public static string For(string orderId) =>
        orderId.Length <= MaxLength
            ? orderId
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(orderId)));
}
