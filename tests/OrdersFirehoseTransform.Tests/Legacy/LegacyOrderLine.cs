// Frozen copy of the implementation before issue 8 (commit 6947c2a): the oracle the equivalence tests compare the
// streaming handler against. Do not change it to make a test pass.
namespace Pipelines.Tests.OrdersFirehoseTransform.Legacy;

/// <summary>Dynamic-partitioning keys Firehose substitutes into <c>!{partitionKeyFromLambda:year|month|day}</c>.</summary>
internal readonly record struct LegacyOrderPartition(string Year, string Month, string Day);

/// <summary>
/// What transforming one CDC record produced: either a newline-terminated flat JSON line with its partition,
/// or the reason the record is malformed (Firehose then routes it to the error prefix).
/// </summary>
internal readonly record struct LegacyOrderLineResult(byte[]? Line, LegacyOrderPartition Partition, string? Error)
{
    public bool IsOk => Line is not null;

    public static LegacyOrderLineResult Ok(byte[] line, LegacyOrderPartition partition) => new(line, partition, null);

    public static LegacyOrderLineResult Failed(string error) => new(null, default, error);
}
