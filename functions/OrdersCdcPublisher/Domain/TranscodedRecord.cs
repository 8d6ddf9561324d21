namespace Pipelines.Orders.Cdc.Domain;

/// <summary>
/// One stream record of an event as the transcoder left it: where its JSON object is in the event's bytes and, when
/// the transcoder could build it, its CDC record. Without one the record goes to the object-model path
/// (<see cref="CdcRecordBuilder"/>), which decides whether it is published, rejected or fails the batch.
/// </summary>
/// <param name="Start">Offset of the record's '{' in the event bytes.</param>
/// <param name="Length">Bytes up to and including its '}'.</param>
/// <param name="OrderId">The orderid, when transcoded.</param>
/// <param name="Cdc">The CDC record's JSON, when transcoded.</param>
/// <param name="SequenceNumberAt">Where the SequenceNumber string token (quotes included) is in the event bytes, when
/// transcoded: it only becomes a string if the batch needs it for a batch item failure.</param>
internal readonly record struct TranscodedRecord(int Start, int Length, string? OrderId, ReadOnlyMemory<byte> Cdc, Range SequenceNumberAt)
{
    public bool IsTranscoded => OrderId is not null;

    public static TranscodedRecord HandedOver(int start, int length) => new(start, length, null, default, default);
}
