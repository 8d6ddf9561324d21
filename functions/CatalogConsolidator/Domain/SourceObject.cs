namespace Pipelines.Catalog.Domain;

/// <summary>
/// One source object named by the batch. <paramref name="Ordinal"/> orders objects for tie-breaking ("later object
/// wins"); it comes from sorting by event time, then bucket and key, so it does not depend on delivery order.
/// </summary>
internal sealed record SourceObject(int Ordinal, string Bucket, string Key, DateOnly? KeyDate)
{
    public string Uri { get; } = $"s3://{Bucket}/{Key}";
}
