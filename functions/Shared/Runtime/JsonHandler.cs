using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Pipelines.Shared.Runtime;

/// <summary>
/// A handler that takes and returns JSON: decodes the payload with source-generated metadata, calls
/// <see cref="HandleAsync(TEvent, ILambdaContext, CancellationToken)"/>, and writes the response.
/// </summary>
public abstract class JsonHandler<TEvent, TResponse> : IStreamHandler
{
    private readonly JsonTypeInfo<TEvent> _eventType;
    private readonly JsonTypeInfo<TResponse> _responseType;

    protected JsonHandler(JsonTypeInfo<TEvent> eventType, JsonTypeInfo<TResponse> responseType)
    {
        _eventType = eventType ?? throw new ArgumentNullException(nameof(eventType));
        _responseType = responseType ?? throw new ArgumentNullException(nameof(responseType));
    }

    protected abstract Task<TResponse> HandleAsync(TEvent input, ILambdaContext context, CancellationToken cancellationToken);

    /// <summary>Calls the handler with an already-decoded event (tests, benchmarks).</summary>
    public Task<TResponse> InvokeAsync(TEvent input, ILambdaContext context, CancellationToken cancellationToken) =>
        HandleAsync(input, context, cancellationToken);

    public async Task HandleAsync(Stream input, Stream output, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        TEvent? evt;
        // The runtime hands over a MemoryStream over the received payload: decode straight from its buffer.
        if (input is MemoryStream ms && ms.TryGetBuffer(out var segment))
            evt = JsonSerializer.Deserialize(segment.AsSpan((int)ms.Position), _eventType);
        else
            evt = await JsonSerializer.DeserializeAsync(input, _eventType, cancellationToken).ConfigureAwait(false);
        if (evt is null)
            throw new InvalidEventException($"The invocation payload was JSON null; expected a {typeof(TEvent).Name}.");

        var response = await HandleAsync(evt, context, cancellationToken).ConfigureAwait(false);
        await JsonSerializer.SerializeAsync(output, response, _responseType, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The payload could not be used as the handler's event type.</summary>
public sealed class InvalidEventException : Exception
{
    public InvalidEventException() { }
    public InvalidEventException(string message) : base(message) { }
    public InvalidEventException(string message, Exception innerException) : base(message, innerException) { }
}
