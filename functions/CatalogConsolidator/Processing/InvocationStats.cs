using Pipelines.Shared.Observability;

namespace Pipelines.Catalog.Processing;

/// <summary>Counts for one invocation, emitted as EMF metrics and one summary log line.</summary>
internal sealed class InvocationStats
{
    public long Messages;
    public long TestEvents;
    public long MessagesRejected;
    public long MessagesDeferred;
    public long ReadFailures;
    public long ObjectsRead;
    public long ObjectsMissing;
    public long ObjectsSkippedAsDuplicate;
    public long BytesRead;
    public long LinesRead;
    public long LinesRejected;
    public long LinesBlacklisted;
    public long AccommodationsOut;
    public long FilesWritten;
    public long BytesWritten;
    public long OversizedRecords;
    public long BatchItemFailures;

    public void Emit()
    {
        Metrics.Add("RecordsReceived", Messages);
        Metrics.Add("ObjectsRead", ObjectsRead);
        Metrics.Add("ObjectsMissing", ObjectsMissing);
        Metrics.Add("ObjectsSkippedAsDuplicate", ObjectsSkippedAsDuplicate);
        Metrics.Add("LinesRead", LinesRead);
        Metrics.Add("LinesRejected", LinesRejected);
        Metrics.Add("LinesBlacklisted", LinesBlacklisted);
        Metrics.Add("AccommodationsOut", AccommodationsOut);
        Metrics.Add("FilesWritten", FilesWritten);
        Metrics.Add("BytesWritten", BytesWritten, MetricUnit.Bytes);
        Metrics.Add("OversizedRecords", OversizedRecords);
        Metrics.Add("MessagesRejected", MessagesRejected);
        Metrics.Add("MessagesDeferred", MessagesDeferred);
        Metrics.Add("BatchItemFailures", BatchItemFailures);
        Log.Info("Catalog batch done",
            new LogField("messages", Messages),
            new LogField("testEvents", TestEvents),
            new LogField("messagesRejected", MessagesRejected),
            new LogField("messagesDeferred", MessagesDeferred),
            new LogField("readFailures", ReadFailures),
            new LogField("objectsRead", ObjectsRead),
            new LogField("objectsMissing", ObjectsMissing),
            new LogField("objectsSkippedAsDuplicate", ObjectsSkippedAsDuplicate),
            new LogField("bytesRead", BytesRead),
            new LogField("linesRead", LinesRead),
            new LogField("linesRejected", LinesRejected),
            new LogField("linesBlacklisted", LinesBlacklisted),
            new LogField("accommodationsOut", AccommodationsOut),
            new LogField("filesWritten", FilesWritten),
            new LogField("bytesWritten", BytesWritten),
            new LogField("batchItemFailures", BatchItemFailures));
    }
}
