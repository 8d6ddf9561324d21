using System.Text;
using System.Text.Json;
using Pipelines.Shared.Events;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.OrdersFirehoseTransform.Support;

/// <summary>What one invocation produced: the response bytes (or the exception) and the log lines it wrote.</summary>
internal sealed record HandlerRun(byte[] Response, Exception? Error, IReadOnlyList<JsonElement> Logs)
{
    private static readonly LambdaContext Context = new() { AwsRequestId = "r1", Deadline = DateTimeOffset.UtcNow.AddHours(1) };

    public string Text => Encoding.UTF8.GetString(Response);

    public KinesisFirehoseResponse Parsed => JsonSerializer.Deserialize(Response, EventJsonContext.Default.KinesisFirehoseResponse)!;

    /// <summary>The "Transformed batch" summary line.</summary>
    public JsonElement Summary => Logs.Single(l => l.GetProperty("message").GetString() == "Transformed batch");

    /// <summary>Invokes the handler the way the runtime does: the payload as a MemoryStream over the received bytes.</summary>
    public static async Task<HandlerRun> InvokeAsync(IStreamHandler handler, byte[] payload)
    {
        var captured = new CapturedTelemetryOutput();
        using var output = new MemoryStream();
        Exception? error = null;
        using (TelemetryOutput.Use(captured))
        {
            try
            {
                using var input = new MemoryStream(payload, 0, payload.Length, writable: false, publiclyVisible: true);
                await handler.HandleAsync(input, output, Context, CancellationToken.None);
            }
            catch (Exception e)
            {
                error = e;
            }
        }
        var logs = captured.Lines.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.TryGetProperty("message", out _)).ToList();
        return new HandlerRun(output.ToArray(), error, logs);
    }

    public static Task<HandlerRun> InvokeAsync(IStreamHandler handler, string payload) => InvokeAsync(handler, Encoding.UTF8.GetBytes(payload));
}
