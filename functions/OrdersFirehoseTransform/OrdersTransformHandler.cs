using Pipelines.Orders.Transform.Firehose;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;

namespace Pipelines.Orders.Transform;

/// <summary>
/// orders-firehose-transform: answers every Firehose record, by recordId, with its flat order line (Ok plus
/// year/month/day partition keys) or ProcessingFailed (Firehose writes those to the error prefix); see
/// <see cref="BatchTransform"/>. Works on the payload bytes: one reader pass over the event, the response written
/// as it is built, so a record costs no strings, base64 text or response objects.
/// </summary>
internal sealed class OrdersTransformHandler(long maxResponseBytes = OrdersTransformHandler.DefaultMaxResponseBytes) : IStreamHandler
{
    /// <summary>Lambda's synchronous response limit (6 MiB) less a margin for the runtime's framing.</summary>
    public const long DefaultMaxResponseBytes = LambdaBootstrapOptions.MaxPayloadBytes - 16 * 1024;

    /// <summary>Response bytes gathered before they are sent on to the output stream.</summary>
    private const int FlushBytes = 64 * 1024;

    public async Task HandleAsync(Stream input, Stream output, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var payload = await InvocationPayload.ReadAsync(input, cancellationToken);
        using var batch = FirehoseEventReader.Read(payload.Bytes.Span);
        using var transform = new BatchTransform(batch, maxResponseBytes);
        if (!transform.Budget.ReserveFits)
            Log.Error("Even minimal answers exceed the response limit", new LogField("records", batch.Count), new LogField("bytes", transform.Budget.Used));

        using (var response = new FirehoseResponseWriter(output))
        {
            response.WriteStart();
            while (transform.AnswerSome(response, FlushBytes))
                await response.FlushAsync(cancellationToken);
            response.WriteEnd();
            await response.FlushAsync(cancellationToken);
        }

        Metrics.Add("RecordsReceived", batch.Count);
        Metrics.Add("RecordsOk", transform.Ok);
        Metrics.Add("RecordsFailed", transform.Failed);
        Log.Info("Transformed batch",
            new LogField("invocationId", batch.InvocationId), new LogField("received", batch.Count), new LogField("ok", transform.Ok),
            new LogField("failed", transform.Failed), new LogField("overResponseLimit", transform.OverResponseLimit),
            new LogField("responseBytes", transform.Budget.Used));
    }
}
