// PooledPayload and SourceRecord moved from the functions' Domain namespaces to Pipelines.Shared.Kinesis; the bench
// workloads (Bench/Workloads/CountiesWorkload.cs, ReviewsWorkload.cs) use them without importing it.
global using Pipelines.Shared.Kinesis;
