namespace Pipelines.LocalCloud.Emulators;

/// <summary>
/// One object event as s3rver reports it (raw key, not URL-encoded). The host turns it into the JSON S3 sends to SQS.
/// </summary>
public sealed record S3ObjectEvent(
    string EventName,
    DateTimeOffset EventTime,
    string Bucket,
    string Key,
    long? Size,
    string? ETag,
    string? SourceIpAddress);
