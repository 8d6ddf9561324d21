namespace Pipelines.Catalog.Domain;

/// <summary>An output file and whether it reached the bucket.</summary>
internal readonly record struct UploadOutcome(IReadOnlyList<int> Messages, bool Uploaded);

/// <summary>What to do after uploads: which messages to report failed and which uploaded files to take back.</summary>
internal sealed record FailureResolution(IReadOnlySet<int> FailedMessages, IReadOnlyList<int> FilesToDelete);

/// <summary>
/// Works out the consequences of failed uploads. A message fails if any file carrying its records failed. An output
/// file that did upload but also carries a failed message is taken back (its name depends on the batch, so the retry
/// would write the same records under another name: a duplicate); that in turn fails every message it carried.
/// Repeats until nothing changes. Rejected-line files are not passed here: their names depend only on the message.
/// </summary>
internal static class FailurePropagation
{
    public static FailureResolution Resolve(IReadOnlyList<UploadOutcome> files, IEnumerable<int> alreadyFailed)
    {
        ArgumentNullException.ThrowIfNull(files);
        var failed = new HashSet<int>(alreadyFailed);
        foreach (var f in files)
            if (!f.Uploaded) failed.UnionWith(f.Messages);

        var delete = new SortedSet<int>();
        bool changed;
        do
        {
            changed = false;
            for (var i = 0; i < files.Count; i++)
            {
                var f = files[i];
                if (!f.Uploaded || delete.Contains(i) || !f.Messages.Any(failed.Contains)) continue;
                delete.Add(i);
                foreach (var m in f.Messages) changed |= failed.Add(m);
            }
        }
        while (changed);
        return new FailureResolution(failed, [.. delete]);
    }
}
