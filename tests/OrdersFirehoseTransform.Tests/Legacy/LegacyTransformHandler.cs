// Frozen copy of the implementation before issue 8 (commit 6947c2a): the oracle the equivalence tests compare the
// streaming handler against. Do not change it to make a test pass.
using System.Buffers;
using System.Buffers.Text;
using Pipelines.Shared.Events;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.OrdersFirehoseTransform.Legacy;

/// <summary>
/// orders-firehose-transform: answers every Firehose record, by recordId, with its flat order line (Ok plus
/// year/month/day partition keys) or ProcessingFailed (Firehose writes those to the error prefix). One bad
/// record never fails the batch, and the response never exceeds Lambda's 6 MB limit: records whose line no
/// longer fits are answered ProcessingFailed, so they reach the error prefix instead of the whole batch failing.
/// </summary>
internal sealed class LegacyTransformHandler(long maxResponseBytes = LegacyTransformHandler.DefaultMaxResponseBytes)
    : JsonHandler<KinesisFirehoseEvent, KinesisFirehoseResponse>(
        EventJsonContext.Default.KinesisFirehoseEvent, EventJsonContext.Default.KinesisFirehoseResponse)
{
    /// <summary>Lambda's synchronous response limit (6 MiB) less a margin for the runtime's framing.</summary>
    public const long DefaultMaxResponseBytes = LambdaBootstrapOptions.MaxPayloadBytes - 16 * 1024;

    protected override Task<KinesisFirehoseResponse> HandleAsync(KinesisFirehoseEvent input, ILambdaContext context, CancellationToken cancellationToken)
    {
        var records = input.Records;
        var minimal = records.Select(r => Failed(r.RecordId, "")).ToList();
        using var budget = new LegacyResponseBudget(maxResponseBytes, minimal);
        if (!budget.ReserveFits)
            Log.Error("Even minimal answers exceed the response limit", new LogField("records", records.Count), new LogField("bytes", budget.Used));

        var response = new KinesisFirehoseResponse { Records = new List<FirehoseResponseRecord>(records.Count) };
        int ok = 0, failed = 0, overflow = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var (answer, error) = Transform(record);
            if (!budget.TryUpgrade(minimal[i], answer))
            {
                if (answer.Result == FirehoseResponseRecord.Ok)
                {
                    overflow++;
                    error = "the response would exceed Lambda's 6 MB limit";
                }
                answer = minimal[i];
            }
            if (answer.Result == FirehoseResponseRecord.Ok) ok++;
            else
            {
                failed++;
                if (failed <= 10) // enough to diagnose without flooding the log on a bad batch
                    Log.Warn("Record failed transformation", new LogField("recordId", record.RecordId), new LogField("reason", error));
            }
            response.Records.Add(answer);
        }

        Metrics.Add("RecordsReceived", records.Count);
        Metrics.Add("RecordsOk", ok);
        Metrics.Add("RecordsFailed", failed);
        Log.Info("Transformed batch",
            new LogField("invocationId", input.InvocationId), new LogField("received", records.Count), new LogField("ok", ok),
            new LogField("failed", failed), new LogField("overResponseLimit", overflow), new LogField("responseBytes", budget.Used));
        return Task.FromResult(response);
    }

    private static (FirehoseResponseRecord Answer, string? Error) Transform(FirehoseRecord record)
    {
        try
        {
            // Echoing invalid base64 would make the whole response unreadable to Firehose: answer with no data.
            if (!TryTransform(record.Data, out var result))
                return (Failed(record.RecordId, ""), "data is not valid base64");
            if (!result.IsOk)
                return (Failed(record.RecordId, record.Data), result.Error);
            return (new FirehoseResponseRecord
            {
                RecordId = record.RecordId,
                Result = FirehoseResponseRecord.Ok,
                Data = Base64Data.Encode(result.Line),
                Metadata = new FirehoseResponseMetadata
                {
                    PartitionKeys = new Dictionary<string, string>(3, StringComparer.Ordinal)
                    {
                        ["year"] = result.Partition.Year,
                        ["month"] = result.Partition.Month,
                        ["day"] = result.Partition.Day,
                    },
                },
            }, null);
        }
        catch (Exception e)
        {
            // The domain never throws; this guards the one-record-never-fails-the-batch promise regardless.
            return (Failed(record.RecordId, record.Data), $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Decodes the record's base64 into a pooled buffer (the line is copied out by the transform), so a record
    /// costs no decoded-payload array; false when the data is not valid base64, as Base64Data.TryDecode judges it.
    /// </summary>
    private static bool TryTransform(string? base64, out LegacyOrderLineResult result)
    {
        result = default;
        if (base64 is null) return false;
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, Base64.GetMaxDecodedFromUtf8Length(base64.Length)));
        try
        {
            if (!Convert.TryFromBase64String(base64, rented, out var length)) return false;
            result = LegacyOrderLineTransform.Transform(rented.AsSpan(0, length));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>ProcessingFailed echoing the original data, as Firehose's blueprints do (the error prefix keeps the raw record either way).</summary>
    private static FirehoseResponseRecord Failed(string recordId, string originalData) => new()
    {
        RecordId = recordId,
        Result = FirehoseResponseRecord.ProcessingFailed,
        Data = originalData,
    };
}
