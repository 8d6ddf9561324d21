using System.Text;
using System.Text.Json;
using Pipelines.Orders.Cdc.Decoding;
using Pipelines.Orders.Cdc.Domain;
using Pipelines.Shared.Events;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.OrdersCdcPublisher.Transcoding;

/// <summary>
/// Runs an event through the handler's decoding (bytes -> <see cref="StreamBatch"/>) and through the object-model path
/// it replaced (DynamoDBEvent -> <see cref="CdcRecordBuilder"/>), and writes what each gives as comparable text: per
/// record its CDC JSON or reject reason, orderid, sequence number and (for rejects) the stored record, or the error.
/// </summary>
internal static class BothPaths
{
    /// <param name="Text">What came out, record by record, or the error.</param>
    /// <param name="Published">Records with a CDC record.</param>
    /// <param name="Transcoded">Records the transcoder built from the bytes (the rest took the object-model path).</param>
    public sealed record Result(string Text, int Published, int Transcoded);

    /// <summary>What the publisher did before the transcoder existed (JsonHandler decoded other streams than MemoryStream as a stream).</summary>
    public static async Task<Result> ObjectModel(byte[] payload, bool asMemoryStream = true)
    {
        var text = new StringBuilder();
        var published = 0;
        try
        {
            var evt = asMemoryStream
                ? JsonSerializer.Deserialize(payload, EventJsonContext.Default.DynamoDBEvent)
                : await JsonSerializer.DeserializeAsync(new MemoryStream(payload), EventJsonContext.Default.DynamoDBEvent);
            evt = evt ?? throw new InvalidEventException("The invocation payload was JSON null; expected a DynamoDBEvent.");
            for (var i = 0; i < evt.Records.Count; i++)
            {
                var record = evt.Records[i];
                var built = CdcRecordBuilder.Build(record);
                if (built.IsOk) published++;
                Describe(text, i, built.OrderId, built.Json, built.RejectReason, record);
            }
        }
        catch (Exception e)
        {
            text.Append("error ").Append(e.GetType().FullName).Append(": ").Append(e.Message);
        }
        return new Result(text.ToString(), published, 0);
    }

    /// <summary>What the handler does now, from a MemoryStream over the bytes (as the runtime hands them) or another stream.</summary>
    public static async Task<Result> Handler(byte[] payload, bool asMemoryStream = true)
    {
        var text = new StringBuilder();
        int published = 0, transcoded = 0;
        try
        {
            using Stream input = asMemoryStream
                ? new MemoryStream(payload, 0, payload.Length, writable: false, publiclyVisible: true)
                : new BufferedStream(new MemoryStream(payload, writable: false), 7);
            using var bytes = await InvocationPayload.ReadAsync(input, CancellationToken.None);
            using var batch = await StreamBatch.DecodeAsync(bytes, CancellationToken.None);
            transcoded = batch.TranscodedCount;
            for (var i = 0; i < batch.Count; i++)
            {
                var built = batch.Build(i);
                if (built.IsOk) published++;
                Describe(text, i, built.OrderId, built.IsOk ? built.Json.ToArray() : null, built.RejectReason,
                    built.IsOk ? null : batch.Model(i), batch.SequenceNumber(i));
            }
        }
        catch (Exception e)
        {
            text.Append("error ").Append(e.GetType().FullName).Append(": ").Append(e.Message);
        }
        return new Result(text.ToString(), published, transcoded);
    }

    private static void Describe(StringBuilder text, int i, string? orderId, byte[]? json, string? reason, DynamoDBStreamRecord? record, string? sequenceNumber = null)
    {
        text.Append('#').Append(i).Append(" orderid=").Append(orderId ?? "(none)")
            .Append(" seq=").Append(sequenceNumber ?? record!.Dynamodb.SequenceNumber).Append('\n');
        if (json is not null)
        {
            // Byte-exact: the hex catches differences a decoded string could hide.
            text.Append("  cdc ").Append(Encoding.UTF8.GetString(json)).Append('\n');
            text.Append("  hex ").Append(Convert.ToHexString(json)).Append('\n');
        }
        else
        {
            text.Append("  rejected: ").Append(reason).Append('\n');
            text.Append("  stored ").Append(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(record!, EventJsonContext.Default.DynamoDBStreamRecord))).Append('\n');
        }
    }
}
