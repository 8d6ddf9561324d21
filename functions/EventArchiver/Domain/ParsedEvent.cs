namespace Pipelines.Events.Domain;

/// <summary>
/// A valid event, already transformed: <see cref="Line"/> is the JSON object written to the archive (the original
/// fields plus created_datetime, event_type and event_subtype), without the trailing newline.
/// </summary>
/// <param name="UuidKey">The uuid in canonical lower-case form: what deduplication compares.</param>
internal sealed record ParsedEvent(
    string UuidKey,
    string EventType,
    string EventSubtype,
    DateOnly CreatedDate,
    ReadOnlyMemory<byte> Line);
