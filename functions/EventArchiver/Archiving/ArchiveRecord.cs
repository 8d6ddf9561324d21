using Pipelines.Events.Domain;

namespace Pipelines.Events.Archiving;

/// <summary>A valid event together with the identity of the Kinesis record that carried it.</summary>
/// <remarks>A struct: it is held inline by the batch's list and by each record's <see cref="ArchiveWork"/>.</remarks>
internal readonly record struct ArchiveRecord(RecordId Id, ParsedEvent Event);
