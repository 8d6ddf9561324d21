using System.Text.Json;
using Pipelines.Shared.Events;
using Pipelines.Shared.Runtime;

namespace Pipelines.Shared.Kinesis;

/// <summary>
/// A Kinesis event source mapping's handler: reads the invocation payload straight into a <see cref="KinesisBatch"/>
/// (no <see cref="KinesisEvent"/> object graph) and answers with the partial batch response.
/// </summary>
public abstract class KinesisBatchHandler : IStreamHandler
{
    protected abstract Task<BatchResponse> HandleAsync(KinesisBatch batch, ILambdaContext context, CancellationToken cancellationToken);

    /// <summary>Calls the handler with an event built in code (tests); it goes through the same reader as a payload.</summary>
    public async Task<BatchResponse> InvokeAsync(KinesisEvent input, ILambdaContext context, CancellationToken cancellationToken)
    {
        using var batch = KinesisBatch.From(input);
        return await HandleAsync(batch, context, cancellationToken).ConfigureAwait(false);
    }

    public async Task HandleAsync(Stream input, Stream output, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        BatchResponse response;
        using (var payload = await InvocationPayload.ReadAsync(input, cancellationToken).ConfigureAwait(false))
        using (var batch = KinesisBatch.Parse(payload.Bytes.Span))
        {
            response = await HandleAsync(batch, context, cancellationToken).ConfigureAwait(false);
        }
        await JsonSerializer.SerializeAsync(output, response, EventJsonContext.Default.BatchResponse, cancellationToken).ConfigureAwait(false);
    }
}
