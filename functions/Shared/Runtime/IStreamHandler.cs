namespace Pipelines.Shared.Runtime;

/// <summary>
/// A function handler at the byte level: the runtime loop hands it the invocation payload as a stream
/// and sends whatever it writes to <paramref name="output"/> as the response.
/// </summary>
public interface IStreamHandler
{
    Task HandleAsync(Stream input, Stream output, ILambdaContext context, CancellationToken cancellationToken);
}
