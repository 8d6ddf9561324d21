using Pipelines.Catalog.Domain;
using Pipelines.Catalog.Priority;
using Pipelines.Catalog.Storage;
using Pipelines.Shared.Events;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Resilience;
using Pipelines.Shared.Runtime;

namespace Pipelines.Catalog.Processing;

/// <summary>
/// One invocation: read every object the batch names (line by line), consolidate, spool size-limited files to /tmp,
/// upload them under names derived from the messages, and report as failed exactly the messages whose work did not
/// reach the bucket. A message's records join the output only once the message was read completely.
/// </summary>
internal sealed class CatalogBatchProcessor(
    ICatalogObjectStore objects,
    ICatalogOutputStore output,
    CachedPartnerPriority priorities,
    TimeProvider clock)
{
    private SpoolFilePool? _spool;

    /// <summary>A spooled segment to put in the output bucket and the messages whose records it holds.</summary>
    private sealed class Upload(string key, FileSegment segment, IReadOnlyList<int> messages, bool isOutput, long bytes)
    {
        public string Key { get; } = key;
        public FileSegment Segment { get; } = segment;
        public IReadOnlyList<int> Messages { get; } = messages;
        public bool IsOutput { get; } = isOutput;
        public long Bytes { get; } = bytes;
        public bool Uploaded { get; set; }
    }

    /// <summary>How reading one message went; unless <paramref name="Complete"/>, its records are to be taken out of the batch.</summary>
    private sealed record MessageRead(bool Complete, List<Upload> Rejects, bool TimedOut);

    public async Task<BatchResponse> ProcessAsync(SqsEvent sqsEvent, ILambdaContext context, CatalogSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sqsEvent);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var started = clock.GetUtcNow();
        var processingDate = DateOnly.FromDateTime(started.UtcDateTime);
        var stats = new InvocationStats();
        ResetDirectory(settings.TempDirectory);
        var spool = SpoolFor(settings);
        var leased = new List<string>();
        var spoolReturned = false;
        BatchConsolidation? consolidation = null;
        try
        {
            var (messages, sources) = BatchPlanner.Plan(sqsEvent);
            stats.Messages = messages.Count;

            var failed = new HashSet<int>();
            var uploads = new List<Upload>();
            var processed = new List<PlannedMessage>();
            var alreadyRead = new HashSet<(string Bucket, string Key)>();
            using (var rejectFormatter = new RejectedLineFormatter())
            {
                var outOfTime = false;
                // A fixed order (not SQS's delivery order) so a redelivered batch reads exactly as the first time did.
                var ordered = messages.OrderBy(m => m.SentTimestampMs ?? long.MaxValue).ThenBy(m => m.MessageId, StringComparer.Ordinal);
                foreach (var message in ordered)
                {
                    if (message.RejectReason is not null)
                    {
                        uploads.Add(SpoolRejectedMessage(message, settings, processingDate));
                        stats.MessagesRejected++;
                        continue;
                    }
                    if (message.IsTestEvent)
                    {
                        Log.Info("s3:TestEvent acknowledged", new LogField("messageId", message.MessageId));
                        stats.TestEvents++;
                        continue;
                    }
                    if (message.Objects.Count == 0) continue;

                    if (consolidation is null && !outOfTime)
                    {
                        // Read the priorities only now that a message has objects: a batch of test events or rejects
                        // needs none, and a cold start does not wait for DynamoDB before looking at the messages.
                        var book = await TryLoadPrioritiesAsync(settings, cancellationToken);
                        // As if nothing had been looked at: rejects spooled so far are not uploaded, the whole batch returns.
                        if (book is null) return Finish(messages, messages.Select(m => m.Index).ToHashSet(), new InvocationStats { Messages = messages.Count });
                        consolidation = new BatchConsolidation(book, sources);
                    }
                    var remaining = context.RemainingTime;
                    if (outOfTime || remaining <= settings.UploadReserve)
                    {
                        outOfTime = true;
                        failed.Add(message.Index);
                        stats.MessagesDeferred++;
                        continue;
                    }

                    consolidation!.BeginMessage();
                    var read = await ReadMessageAsync(message, consolidation!, rejectFormatter, settings, remaining - settings.UploadReserve, processingDate, alreadyRead, stats, cancellationToken);
                    if (!read.Complete)
                    {
                        consolidation!.DiscardMessage();
                        failed.Add(message.Index);
                        outOfTime |= read.TimedOut;
                        if (read.TimedOut) stats.MessagesDeferred++;
                        continue;
                    }
                    consolidation!.CommitMessage();
                    uploads.AddRange(read.Rejects);
                    processed.Add(message);
                    foreach (var o in message.Objects) alreadyRead.Add((o.Source.Bucket, o.Source.Key));
                }
            }
            if (stats.MessagesDeferred > 0)
                Log.Warn("Stopped taking messages to keep time for the upload; the rest will be redelivered", new LogField("deferred", stats.MessagesDeferred));

            // Spool the consolidated records and name the files after the messages they came from.
            var outputs = consolidation is null
                ? []
                : OutputSpooler.Write(consolidation.Batch, processingDate, _ =>
                {
                    var path = spool.Lease();
                    leased.Add(path);
                    return new RollingJsonlWriter(path, settings.MaxOutputFileBytes, overwriteInPlace: true);
                });
            // Only output keys need the hash: a batch of test events or rejects computes none.
            var batchHash = outputs.Count == 0 ? "" : OutputKeys.BatchHash(processed.Select(p => p.MessageId));
            var microseconds = (processed.Select(p => p.SentTimestampMs).Min() ?? started.ToUnixTimeMilliseconds()) * 1000;
            foreach (var o in outputs)
            {
                uploads.Add(new Upload(OutputKeys.Output(o.Date, microseconds, batchHash, o.File.Part), o.File.Segment, o.File.Messages, isOutput: true, o.File.Bytes));
                if (o.File.Oversized)
                {
                    stats.OversizedRecords++;
                    Log.Warn("A consolidated record is larger than the file limit and was written alone", new LogField("bytes", o.File.Bytes));
                }
            }
            stats.AccommodationsOut = consolidation?.Batch.GroupCount ?? 0;
            // Spooled: the values are no longer needed, so the arena goes back to the pool before the uploads.
            consolidation?.Dispose();
            consolidation = null;

            if (uploads.Count > 0) await UploadAllAsync(uploads, settings, cancellationToken);

            var outputUploads = uploads.Where(u => u.IsOutput).ToList();
            var rejectFailures = uploads.Where(u => !u.IsOutput && !u.Uploaded).SelectMany(u => u.Messages);
            var resolution = FailurePropagation.Resolve(
                [.. outputUploads.Select(u => new UploadOutcome(u.Messages, u.Uploaded))], failed.Concat(rejectFailures));
            foreach (var index in resolution.FilesToDelete) await TakeBackAsync(outputUploads[index], settings, cancellationToken);
            // Every upload has finished: the spool files' bytes are no longer needed, and the next invocation writes over them.
            spool.Return(leased);
            spoolReturned = true;

            foreach (var u in outputUploads.Where((u, i) => u.Uploaded && !resolution.FilesToDelete.Contains(i)))
            {
                stats.FilesWritten++;
                stats.BytesWritten += u.Bytes;
            }
            var finished = clock.GetUtcNow();
            foreach (var m in processed.Where(m => !resolution.FailedMessages.Contains(m.Index)))
                foreach (var o in m.Objects)
                    Metrics.Add("SecondsFromObjectCreationToOutput", Math.Max(0, (finished - o.EventTime).TotalSeconds), MetricUnit.Seconds);
            return Finish(messages, resolution.FailedMessages, stats);
        }
        finally
        {
            consolidation?.Dispose();
            if (!spoolReturned) SpoolFilePool.Discard(leased);
            TryDeleteDirectory(settings.TempDirectory);
        }
    }

    /// <summary>The spool pool for the configured directory (one per processor: Lambda runs one invocation at a time).</summary>
    private SpoolFilePool SpoolFor(CatalogSettings settings)
    {
        var directory = settings.SpoolDirectory;
        if (_spool is { } current && string.Equals(current.Directory, directory, StringComparison.Ordinal)) return current;
        return _spool = new SpoolFilePool(directory, settings.RetainedSpoolBytes);
    }

    /// <summary>The partner priorities (cached for the TTL), or null when they cannot be read and the batch must be retried.</summary>
    private async Task<PartnerPriorityBook?> TryLoadPrioritiesAsync(CatalogSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return await priorities.GetAsync(settings.PartnerCacheTtl, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.Error("Cannot read partner priorities; the whole batch will be retried", e);
            return null;
        }
    }

    private async Task<MessageRead> ReadMessageAsync(
        PlannedMessage message,
        BatchConsolidation consolidation,
        RejectedLineFormatter rejectFormatter,
        CatalogSettings settings,
        TimeSpan budget,
        DateOnly processingDate,
        HashSet<(string Bucket, string Key)> alreadyRead,
        InvocationStats stats,
        CancellationToken cancellationToken)
    {
        var batch = consolidation.Batch;
        var parser = consolidation.Parser;
        var rejects = new List<Upload>();
        var rejectedHere = 0L;
        var blacklistedHere = 0L;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (budget < TimeSpan.FromDays(1)) deadline.CancelAfter(budget);
        var current = "";
        try
        {
            foreach (var obj in message.Objects)
            {
                current = obj.Source.Uri;
                if (alreadyRead.Contains((obj.Source.Bucket, obj.Source.Key)))
                {
                    // Duplicate or repeated notification in this batch: S3 serves the latest content either way, and an
                    // earlier message of this batch already carries it (if that one fails, it is retried and re-reads).
                    stats.ObjectsSkippedAsDuplicate++;
                    continue;
                }
                var stream = await Retry.ExecuteAsync(t => objects.OpenAsync(obj.Source.Bucket, obj.Source.Key, t), settings.ReadRetry, deadline.Token);
                if (stream is null)
                {
                    // Deleted (or its bucket gone) since the event: retrying cannot bring it back.
                    Log.Warn("Source object no longer exists; acknowledged", new LogField("object", obj.Source.Uri), new LogField("messageId", message.MessageId));
                    stats.ObjectsMissing++;
                    continue;
                }

                RollingJsonlWriter? rejectWriter = null;
                try
                {
                    await using var body = stream;
                    await using var reader = new JsonLineReader(body, settings.MaxLineBytes);
                    while (await reader.MoveNextAsync(deadline.Token))
                    {
                        stats.LinesRead++;
                        string? reason;
                        if (reader.IsTooLong) reason = $"line is longer than {settings.MaxLineBytes} bytes";
                        else if (IsBlank(reader.Current)) continue;
                        else reason = parser.Parse(reader.Current);

                        if (reason is null)
                        {
                            if (batch.Add(parser, obj.Source.Ordinal, reader.LineNumber, message.Index) == LineOutcome.Blacklisted) blacklistedHere++;
                            continue;
                        }
                        rejectedHere++;
                        rejectWriter ??= new RollingJsonlWriter(
                            Path.Combine(settings.TempDirectory, "rejected"), $"lines-{message.Index}-{obj.RecordIndex}", long.MaxValue);
                        rejectWriter.WriteLine(
                            rejectFormatter.Format(reason, obj.Source, reader.LineNumber, message.MessageId, reader.Current, reader.CurrentLength),
                            [message.Index]);
                    }
                    stats.ObjectsRead++;
                    stats.BytesRead += reader.BytesRead;
                }
                finally
                {
                    rejectWriter?.Complete();
                    rejectWriter?.Dispose();
                }
                if (rejectWriter?.Files is [var file])
                {
                    var date = obj.Source.KeyDate ?? SentDate(message) ?? processingDate;
                    rejects.Add(new Upload(OutputKeys.RejectedLines(date, message.MessageId, obj.RecordIndex), file.Segment, [message.Index], isOutput: false, file.Bytes));
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Log.Warn("Out of time while reading; the message will be redelivered", new LogField("object", current), new LogField("messageId", message.MessageId));
            return new MessageRead(Complete: false, rejects, TimedOut: true);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.Error("Could not read a source object; the message will be redelivered", e,
                new LogField("object", current), new LogField("messageId", message.MessageId), new LogField("transient", TransientErrors.IsTransient(e, cancellationToken)));
            stats.ReadFailures++;
            return new MessageRead(Complete: false, rejects, TimedOut: false);
        }

        stats.LinesRejected += rejectedHere;
        stats.LinesBlacklisted += blacklistedHere;
        return new MessageRead(Complete: true, rejects, TimedOut: false);
    }

    private static Upload SpoolRejectedMessage(PlannedMessage message, CatalogSettings settings, DateOnly processingDate)
    {
        Log.Warn("Message body is not an S3 notification; recorded under rejected/ and acknowledged",
            new LogField("messageId", message.MessageId), new LogField("reason", message.RejectReason));
        var line = RejectedMessageFormatter.Format(message.RejectReason!, message.MessageId, message.Message.EventSourceArn, message.SentTimestampMs, message.Message.Body);
        var dir = Path.Combine(settings.TempDirectory, "rejected");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"message-{message.Index}.jsonl");
        File.WriteAllBytes(path, line);
        var key = OutputKeys.RejectedMessage(SentDate(message) ?? processingDate, message.MessageId);
        return new Upload(key, new FileSegment(path, 0, line.Length), [message.Index], isOutput: false, line.Length);
    }

    private async Task UploadAllAsync(List<Upload> uploads, CatalogSettings settings, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.UploadParallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(uploads, options, async (upload, ct) =>
        {
            try
            {
                await Retry.ExecuteAsync(t => output.PutFileAsync(upload.Key, upload.Segment, t), settings.WriteRetry, ct);
                upload.Uploaded = true;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Log.Error("Upload failed; the messages it carried will be redelivered", e,
                    new LogField("key", upload.Key), new LogField("messages", upload.Messages.Count));
            }
        });
    }

    /// <summary>Deletes an uploaded file whose messages are being retried, so the retry does not duplicate its records.</summary>
    private async Task TakeBackAsync(Upload upload, CatalogSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            await Retry.ExecuteAsync(t => output.DeleteAsync(upload.Key, t), settings.WriteRetry, cancellationToken);
            Log.Warn("Took back an uploaded file because some of its messages failed", new LogField("key", upload.Key));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.Error("Could not take back an uploaded file; its records may appear twice after the retry", e, new LogField("key", upload.Key));
        }
    }

    private static BatchResponse Finish(IReadOnlyList<PlannedMessage> messages, IReadOnlySet<int> failed, InvocationStats stats)
    {
        stats.BatchItemFailures = failed.Count;
        stats.Emit();
        return BatchResponse.Of(messages.Where(m => failed.Contains(m.Index)).Select(m => m.MessageId));
    }

    private static DateOnly? SentDate(PlannedMessage message) =>
        message.SentTimestampMs is { } ms ? DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime) : null;

    private static bool IsBlank(System.Buffers.ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
            foreach (var b in segment.Span)
                if (b is not ((byte)' ' or (byte)'\t')) return false;
        return true;
    }

    /// <summary>Warm containers keep /tmp: start from an empty directory of our own.</summary>
    private static void ResetDirectory(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        Directory.CreateDirectory(path);
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException e)
        {
            Log.Warn("Could not clean the temp directory; the next invocation will", new LogField("path", path), new LogField("error", e.Message));
        }
    }
}
