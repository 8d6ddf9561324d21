namespace Pipelines.Cli.Bench;

/// <summary>
/// Runs async work so that at most one of its tasks executes at a time: the work starts on an exclusive scheduler, and
/// <c>Parallel.ForEachAsync</c>/<c>Task.Factory.StartNew</c> inside it default to the current scheduler, so a handler's
/// own parallel loops are serialised too. (The in-memory sinks complete synchronously, so nothing escapes to the pool.)
/// </summary>
internal static class SingleThread
{
    public static Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        var pair = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, maxConcurrencyLevel: 1);
        return Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, pair.ExclusiveScheduler).Unwrap();
    }
}
