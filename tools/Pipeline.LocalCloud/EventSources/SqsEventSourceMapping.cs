using System.Text;
using System.Text.Json.Nodes;
using Pipelines.LocalCloud.Functions;
using Pipelines.Shared.Aws;

namespace Pipelines.LocalCloud.EventSources;

/// <summary>
/// An SQS event source mapping: pollers (up to MaximumConcurrency) gather up to BatchSize messages within
/// MaximumBatchingWindow, invoke the function, and delete only what succeeded: everything on a clean response,
/// all but the reported <c>batchItemFailures</c> on a partial response, nothing on a function error. What is not deleted
/// becomes visible again after the visibility timeout; the queue's redrive policy moves it to the DLQ after maxReceiveCount.
/// </summary>
public sealed class SqsEventSourceMapping : IAsyncDisposable
{
    private readonly SqsMappingSettings _settings;
    private readonly SqsClient _sqs;
    private readonly IFunctionInvoker _invoker;
    private readonly Action<string>? _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pollers = [];
    private string _queueUrl = "";

    public MappingStats Stats { get; }

    public string QueueArn { get; }

    public string FunctionName => _settings.FunctionName;

    public string QueueName => _settings.QueueName;

    public SqsEventSourceMapping(SqsMappingSettings settings, SqsClient sqs, IFunctionInvoker invoker, Action<string>? log = null)
    {
        _settings = settings;
        _sqs = sqs;
        _invoker = invoker;
        _log = log;
        QueueArn = SqsEventJson.QueueArn(settings.QueueName);
        Stats = new MappingStats($"{settings.QueueName} -> {settings.FunctionName}");
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _queueUrl = await _sqs.GetQueueUrlAsync(_settings.QueueName, cancellationToken);
        for (var i = 0; i < _settings.MaximumConcurrency; i++)
            _pollers.Add(Task.Run(() => PollAsync(_stop.Token), CancellationToken.None));
    }

    private async Task PollAsync(CancellationToken ct)
    {
        var errorDelay = TimeSpan.FromMilliseconds(200);
        while (!ct.IsCancellationRequested)
        {
            var batch = new List<SqsReceivedMessage>();
            try
            {
                await GatherAsync(batch, ct);
                if (batch.Count == 0) continue;
                Stats.EnterBusy();
                try
                {
                    await InvokeAndDeleteAsync(batch, ct);
                }
                finally
                {
                    Stats.ExitBusy();
                }
                errorDelay = TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Messages already received stay invisible and come back after the visibility timeout, as in AWS.
                Stats.ReadError();
                _log?.Invoke($"{Stats.Name}: {e.GetType().Name}: {e.Message} (retrying)");
                try { await Task.Delay(errorDelay, ct); }
                catch (OperationCanceledException) { return; }
                errorDelay = TimeSpan.FromMilliseconds(Math.Min(errorDelay.TotalMilliseconds * 2, 2000));
            }
        }
    }

    private async Task GatherAsync(List<SqsReceivedMessage> batch, CancellationToken ct)
    {
        // Short polls plus our own pause: local-aws-sqs's long poll keeps collecting until MaxNumberOfMessages or the
        // wait time is reached, and can return a message twice in one answer once its visibility timeout passed meanwhile.
        var deadline = DateTimeOffset.UtcNow + _settings.MaximumBatchingWindow;
        while (batch.Count < _settings.BatchSize)
        {
            var received = await _sqs.ReceiveMessageAsync(_queueUrl, new SqsReceiveOptions
            {
                MaxNumberOfMessages = Math.Min(10, _settings.BatchSize - batch.Count),
                WaitTimeSeconds = 0,
                VisibilityTimeout = _settings.VisibilityTimeoutSeconds,
            }, ct);
            if (received.Count > 0) Stats.Read(received.Count);
            batch.AddRange(received);
            if (batch.Count == 0)
            {
                await Task.Delay(_settings.PollInterval, ct);
                return; // nothing waiting: the caller polls again
            }
            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero) return;
            if (received.Count == 0) await Task.Delay(remaining < _settings.PollInterval ? remaining : _settings.PollInterval, ct);
        }
    }

    private async Task InvokeAndDeleteAsync(List<SqsReceivedMessage> batch, CancellationToken ct)
    {
        var records = new JsonArray(batch.Select(m => (JsonNode)SqsEventJson.Record(m, QueueArn)).ToArray());
        var payload = Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = records }.ToJsonString());
        var result = await _invoker.InvokeAsync(_settings.FunctionName, payload, ct);
        Stats.Invoked();
        if (result.IsFunctionError)
        {
            Stats.FunctionError();
            return;
        }

        var toDelete = batch;
        if (_settings.ReportBatchItemFailures)
        {
            var parsed = BatchItemFailuresParser.Parse(result.Payload.Span, batch.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal));
            if (parsed.IsCompleteFailure)
            {
                Stats.FunctionError();
                return;
            }
            if (parsed.FailedIdentifiers.Count > 0)
            {
                Stats.PartialFailure();
                var failed = parsed.FailedIdentifiers.ToHashSet(StringComparer.Ordinal);
                toDelete = batch.Where(m => !failed.Contains(m.MessageId)).ToList();
            }
        }
        await DeleteAsync(toDelete, ct);
        Stats.Completed(toDelete.Count);
    }

    private async Task DeleteAsync(List<SqsReceivedMessage> messages, CancellationToken ct)
    {
        foreach (var chunk in messages.Chunk(10))
        {
            var entries = chunk.Select((m, i) => new SqsDeleteEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ReceiptHandle)).ToList();
            var result = await _sqs.DeleteMessageBatchAsync(_queueUrl, entries, ct);
            foreach (var f in result.Failed) _log?.Invoke($"{Stats.Name}: delete failed: {f.Code} {f.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_pollers);
        _stop.Dispose();
    }
}
