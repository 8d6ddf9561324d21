using System.Globalization;
using System.Text.Json;
using NUnit.Framework;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.Support;

/// <summary>
/// Kinesis events read through the functions' own event contract (<see cref="EventJsonContext"/>), so tests exercise
/// the real decoding path. <see cref="KinesisEventBuilder"/> makes new ones in Lambda's wire shape.
/// </summary>
public static class KinesisEvents
{
    /// <summary>A JSON fixture from the test project's <c>Fixtures/</c> folder (copied to the output directory).</summary>
    public static KinesisEvent Load(string fixtureName) =>
        Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", fixtureName)));

    public static KinesisEvent Parse(string json) =>
        JsonSerializer.Deserialize(json, EventJsonContext.Default.KinesisEvent)!;

    /// <summary>The sequence number <see cref="KinesisEventBuilder"/> gives the record at <paramref name="index"/> (56 digits, increasing).</summary>
    public static string SequenceNumber(int index) =>
        "4965000000000000000000000000000000" + index.ToString("D22", CultureInfo.InvariantCulture);

    /// <summary>Records [start, start + count) as their own batch, as Lambda delivers a retry or a bisected half.</summary>
    public static KinesisEvent Slice(KinesisEvent batch, int start, int count) =>
        new() { Records = batch.Records.Skip(start).Take(count).ToList() };
}
