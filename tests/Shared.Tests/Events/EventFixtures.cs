using FluentAssertions;
using NUnit.Framework;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Pipelines.Tests.Shared.Events;

/// <summary>Loads the AWS sample events under Fixtures/Events and compares JSON documents semantically.</summary>
internal static class EventFixtures
{
    public static string Path(string name) => System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "Events", name);

    public static string Text(string name) => File.ReadAllText(Path(name));

    public static T Load<T>(string name, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(Path(name)), type) ?? throw new InvalidOperationException($"{name} decoded to null");

    /// <summary>
    /// Differences between two JSON documents, ignoring member order, treating a missing member like null,
    /// numbers by value and ISO-8601 timestamps by instant. Empty when they carry the same information.
    /// </summary>
    public static List<string> Differences(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        var diffs = new List<string>();
        Compare(expected, actual, path, diffs);
        return diffs;
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> diffs)
    {
        if (expected is null || actual is null)
        {
            if (!(expected is null && actual is null)) diffs.Add($"{path}: expected {Show(expected)}, got {Show(actual)}");
            return;
        }
        switch (expected)
        {
            case JsonObject eo when actual is JsonObject ao:
                foreach (var name in eo.Select(p => p.Key).Union(ao.Select(p => p.Key)))
                    Compare(eo[name], ao[name], $"{path}.{name}", diffs);
                break;
            case JsonArray ea when actual is JsonArray aa:
                if (ea.Count != aa.Count) diffs.Add($"{path}: expected {ea.Count} items, got {aa.Count}");
                else for (var i = 0; i < ea.Count; i++) Compare(ea[i], aa[i], $"{path}[{i}]", diffs);
                break;
            case JsonValue ev when actual is JsonValue av:
                if (!SameValue(ev, av)) diffs.Add($"{path}: expected {Show(ev)}, got {Show(av)}");
                break;
            default:
                diffs.Add($"{path}: expected {Show(expected)}, got {Show(actual)}");
                break;
        }
    }

    private static bool SameValue(JsonValue e, JsonValue a)
    {
        var ek = e.GetValueKind();
        var ak = a.GetValueKind();
        if (ek == JsonValueKind.Number && ak == JsonValueKind.Number) return e.GetValue<decimal>() == a.GetValue<decimal>();
        if (ek == JsonValueKind.String && ak == JsonValueKind.String)
        {
            var es = e.GetValue<string>();
            var @as = a.GetValue<string>();
            if (es == @as) return true;
            return es.Contains('T', StringComparison.Ordinal) &&
                   DateTimeOffset.TryParse(es, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ed) &&
                   DateTimeOffset.TryParse(@as, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ad) &&
                   ed == ad;
        }
        return ek == ak && e.ToJsonString() == a.ToJsonString();
    }

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null/missing";
}
