namespace Pipelines.Cli.Bench.Profiling;

/// <summary>
/// One part of a function's work, run on its own over every record of one benchmark run (inputs prepared beforehand),
/// so its time and allocation can be set against the whole handler's.
/// </summary>
/// <param name="Name">What the stage does, e.g. "event JSON -> KinesisEvent".</param>
/// <param name="Run">Does the stage's work for the whole run, synchronously, on the calling thread.</param>
internal sealed record ProfileStage(string Name, Action Run);
