namespace Pipelines.Events.Domain;

/// <summary>Where an archived record goes: its uuid's first occurrence, or a later distinct record with that uuid.</summary>
internal enum ArchiveKind
{
    Events,
    Duplicated,
}
