namespace Pipelines.Orders.Transform.Domain;

/// <summary>Dynamic-partitioning keys Firehose substitutes into <c>!{partitionKeyFromLambda:year|month|day}</c>.</summary>
internal readonly record struct OrderPartition(string Year, string Month, string Day);

/// <summary>
/// What transforming one CDC record produced: either a newline-terminated flat JSON line with its partition,
/// or the reason the record is malformed (Firehose then routes it to the error prefix).
/// </summary>
internal readonly record struct OrderLineResult(byte[]? Line, OrderPartition Partition, string? Error)
{
    public bool IsOk => Line is not null;

    public static OrderLineResult Ok(byte[] line, OrderPartition partition) => new(line, partition, null);

    public static OrderLineResult Failed(string error) => new(null, default, error);
}
