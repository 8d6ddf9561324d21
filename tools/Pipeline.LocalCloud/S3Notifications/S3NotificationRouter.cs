using System.Globalization;
using System.Threading.Channels;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.EventSources;
using Pipelines.Shared.Aws;

namespace Pipelines.LocalCloud.S3Notifications;

/// <summary>
/// S3 event notifications to SQS on top of s3rver: each object event s3rver reports is matched against the rules
/// (events, prefix, suffix) and the matching ones are sent, in the order they happened, as the JSON S3 sends.
/// Sends are retried until SQS accepts them, so an SQS outage delays notifications instead of losing them.
/// </summary>
public sealed class S3NotificationRouter : IAsyncDisposable
{
    private readonly SqsClient _sqs;
    private readonly Channel<S3ObjectEvent> _events = Channel.CreateUnbounded<S3ObjectEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<S3NotificationRule> _rules = [];
    private readonly Dictionary<string, string> _queueUrls = new(StringComparer.Ordinal);
    private readonly Task _pump;
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<string>? _log;
    private long _pending;
    private long _sequencer = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 16;

    public MappingStats Stats { get; } = new("s3 notifications");

    public S3NotificationRouter(SqsClient sqs, Action<string>? log = null)
    {
        _sqs = sqs;
        _log = log;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Events seen but not yet delivered to their queues.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Adds a rule and, like S3 does when a configuration is saved, sends an s3:TestEvent to its queue.</summary>
    public async Task AddRuleAsync(S3NotificationRule rule, bool sendTestEvent, CancellationToken ct)
    {
        var url = await _sqs.GetQueueUrlAsync(rule.QueueName, ct);
        lock (_rules)
        {
            _rules.Add(rule);
            _queueUrls[rule.QueueName] = url;
        }
        if (sendTestEvent)
            await _sqs.SendMessageAsync(url, S3NotificationJson.TestEvent(rule.Bucket, DateTimeOffset.UtcNow).ToJsonString(), cancellationToken: ct);
    }

    /// <summary>Called for each event s3rver reports (see <see cref="LocalEmulators.OnS3Event"/>).</summary>
    public void Publish(S3ObjectEvent e)
    {
        Interlocked.Increment(ref _pending);
        Stats.Read(1);
        if (!_events.Writer.TryWrite(e)) Interlocked.Decrement(ref _pending);
    }

    private async Task PumpAsync()
    {
        var ct = _stop.Token;
        try
        {
            await foreach (var e in _events.Reader.ReadAllAsync(ct))
            {
                List<(S3NotificationRule Rule, string Url)> targets;
                lock (_rules) targets = _rules.Where(r => r.Matches(e.Bucket, e.EventName, e.Key)).Select(r => (r, _queueUrls[r.QueueName])).ToList();
                // One sequencer per event: later events on a key always compare greater (S3's documented guarantee).
                var sequencer = Interlocked.Increment(ref _sequencer).ToString("X16", CultureInfo.InvariantCulture);
                foreach (var (rule, url) in targets)
                    await SendUntilAcceptedAsync(url, S3NotificationJson.Notification(e, rule.Id, sequencer).ToJsonString(), ct);
                Stats.Completed(1);
                Interlocked.Decrement(ref _pending);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task SendUntilAcceptedAsync(string url, string body, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await _sqs.SendMessageAsync(url, body, cancellationToken: ct);
                Stats.Invoked();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Stats.ReadError();
                _log?.Invoke($"s3 notification to {url} failed: {e.Message} (retrying)");
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _stop.CancelAsync();
        await _pump;
        _stop.Dispose();
    }
}
