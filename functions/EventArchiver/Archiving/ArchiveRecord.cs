using Pipelines.Events.Domain;

namespace Pipelines.Events.Archiving;

/// <summary>A valid event together with the identity of the Kinesis record that carried it.</summary>
internal sealed record ArchiveRecord(RecordId Id, ParsedEvent Event);
