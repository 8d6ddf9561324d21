namespace Pipelines.Shared.Observability;

public enum LogLevel
{
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
}
