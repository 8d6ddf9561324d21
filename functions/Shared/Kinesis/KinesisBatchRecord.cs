namespace Pipelines.Shared.Kinesis;

/// <summary>
/// One record of a <see cref="KinesisBatch"/>: its lineage, and where its base64 <c>data</c> text sits in the batch's
/// buffer (read it with <see cref="KinesisBatch.Data(int)"/>).
/// </summary>
public readonly record struct KinesisBatchRecord(SourceRecord Source, int DataStart, int DataLength)
{
    public string SequenceNumber => Source.SequenceNumber;
}
