using System.Text.Json;

namespace Pipelines.LocalCloud.EventSources;

/// <summary>
/// Reads a partial batch response <c>{"batchItemFailures":[{"itemIdentifier":"..."}]}</c> by Lambda's rules:
/// an empty or null response or list is complete success; a null, empty or unknown identifier makes the whole batch a failure.
/// </summary>
public static class BatchItemFailuresParser
{
    public sealed record Result(bool IsCompleteFailure, IReadOnlyList<string> FailedIdentifiers)
    {
        public bool IsCompleteSuccess => !IsCompleteFailure && FailedIdentifiers.Count == 0;
    }

    private static readonly Result Success = new(false, []);
    private static readonly Result CompleteFailure = new(true, []);

    public static Result Parse(ReadOnlySpan<byte> payload, IReadOnlySet<string> identifiersInBatch)
    {
        if (payload.IsEmpty) return Success;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(payload.ToArray());
        }
        catch (JsonException)
        {
            // Not a partial batch response (e.g. a plain string): Lambda only looks for batchItemFailures.
            return Success;
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object ||
                !doc.RootElement.TryGetProperty("batchItemFailures", out var failures) ||
                failures.ValueKind == JsonValueKind.Null)
            {
                return Success;
            }
            if (failures.ValueKind != JsonValueKind.Array) return CompleteFailure;

            var ids = new List<string>();
            foreach (var f in failures.EnumerateArray())
            {
                if (f.ValueKind != JsonValueKind.Object || !f.TryGetProperty("itemIdentifier", out var id) ||
                    id.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(id.GetString()) ||
                    !identifiersInBatch.Contains(id.GetString()!))
                {
                    return CompleteFailure;
                }
                ids.Add(id.GetString()!);
            }
            return new Result(false, ids);
        }
    }
}
