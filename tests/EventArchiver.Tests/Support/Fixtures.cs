using System.Text.Json;
using NUnit.Framework;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.EventArchiver.Support;

internal static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", name);

    /// <summary>A Kinesis event exactly as Lambda delivers it, decoded with the function's own contracts.</summary>
    public static KinesisEvent KinesisEvent(string name) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(Path(name)), EventJsonContext.Default.KinesisEvent)!;

    /// <summary>The bad-input corpus: a name, the record's base64 data, and the reject reason code expected.</summary>
    public static IReadOnlyList<(string Name, string Data, string Reason)> BadEvents()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path("bad-events.json")));
        return doc.RootElement.EnumerateArray()
            .Select(e => (e.GetProperty("name").GetString()!, e.GetProperty("data").GetString()!, e.GetProperty("reason").GetString()!))
            .ToList();
    }
}
