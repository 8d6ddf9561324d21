namespace Pipelines.Events.Archiving;

/// <summary>
/// Runs an asynchronous body for items 0..count-1 with at most a given number in flight. One worker per slot pulls
/// the next index, instead of a scheduled task per item (Parallel.ForEachAsync), and a worker is only started when
/// the ones before it went asynchronous: when sink calls complete synchronously the whole loop runs inline.
/// Bodies are expected to handle their own failures; as with Parallel.ForEachAsync, once the caller's token is
/// cancelled whatever the workers threw is reported as that cancellation.
/// </summary>
internal static class BoundedParallel
{
    public static async Task ForEachAsync<TState>(
        int count, int maxInFlight, TState state, Func<TState, int, Task> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (count == 0) return;
        var cursor = new Cursor();
        var workers = new List<Task>();
        while (workers.Count < Math.Max(1, maxInFlight) && Volatile.Read(ref cursor.Next) < count - 1)
            workers.Add(RunWorkerAsync(cursor, count, state, body, cancellationToken));
        try
        {
            await Task.WhenAll(workers);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("The operation was abandoned.", e, cancellationToken);
        }
    }

    private static async Task RunWorkerAsync<TState>(
        Cursor cursor, int count, TState state, Func<TState, int, Task> body, CancellationToken cancellationToken)
    {
        int index;
        while ((index = Interlocked.Increment(ref cursor.Next)) < count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await body(state, index);
        }
    }

    private sealed class Cursor
    {
        public int Next = -1;
    }
}
