using System.Collections.Concurrent;

namespace Pipelines.Cli.Bench;

/// <summary>
/// Runs async work on one dedicated thread: a task scheduler and synchronization context that queue everything to that
/// thread. <c>Parallel.ForEachAsync</c> and <c>Task.Factory.StartNew</c> default to the current scheduler, so a handler's
/// own parallel loops run there too, one piece at a time, with no thread-pool hop between them (the in-memory sinks
/// complete synchronously). The figure is therefore one core's worth of work, as a 512 MB Lambda gets at most.
/// </summary>
internal static class SingleThread
{
    public static Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        var scheduler = new DedicatedThreadScheduler();
        var run = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler).Unwrap();
        // Stop the thread from a pool thread once the work is done (it cannot join itself).
        return run.ContinueWith(done =>
        {
            scheduler.Dispose();
            return done;
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
    }

    private sealed class DedicatedThreadScheduler : TaskScheduler, IDisposable
    {
        private readonly BlockingCollection<Task> _queue = [];
        private readonly Thread _thread;

        public DedicatedThreadScheduler()
        {
            _thread = new Thread(Pump) { IsBackground = true, Name = "bench-single-thread" };
            _thread.Start();
        }

        public override int MaximumConcurrencyLevel => 1;

        public void Dispose()
        {
            _queue.CompleteAdding();
            _thread.Join();
            _queue.Dispose();
        }

        protected override void QueueTask(Task task) => _queue.Add(task);

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
            Thread.CurrentThread == _thread && TryExecuteTask(task);

        protected override IEnumerable<Task> GetScheduledTasks() => [.. _queue];

        private void Pump()
        {
            SynchronizationContext.SetSynchronizationContext(new PumpContext(this));
            foreach (var task in _queue.GetConsumingEnumerable()) TryExecuteTask(task);
        }

        /// <summary>Continuations that capture the context (plain <c>await</c>) come back to the same thread.</summary>
        private sealed class PumpContext(DedicatedThreadScheduler scheduler) : SynchronizationContext
        {
            public override void Post(SendOrPostCallback d, object? state) =>
                Task.Factory.StartNew(() => d(state), CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler);

            public override SynchronizationContext CreateCopy() => this;
        }
    }
}
