namespace Pipelines.Orders.Transform.Domain;

/// <summary>
/// The S3 partition an order line belongs to: the UTC calendar date of its creation_datetime. Firehose substitutes
/// it into <c>!{partitionKeyFromLambda:year|month|day}</c> as yyyy, MM and dd.
/// </summary>
internal readonly record struct OrderPartition(DateOnly Date);

/// <summary>
/// What transforming one CDC record produced: either a newline-terminated flat JSON line with its partition,
/// or the reason the record is malformed (Firehose then routes it to the error prefix).
/// </summary>
/// <remarks><see cref="Line"/> lives in the transform's buffer: it is valid until that transform's next call.</remarks>
internal readonly record struct OrderLineResult(ReadOnlyMemory<byte> Line, OrderPartition Partition, string? Error)
{
    public bool IsOk => Error is null;

    public static OrderLineResult Ok(ReadOnlyMemory<byte> line, OrderPartition partition) => new(line, partition, null);

    public static OrderLineResult Failed(string error) => new(default, default, error);
}
