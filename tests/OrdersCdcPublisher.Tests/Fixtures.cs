using System.Text.Json;
using NUnit.Framework;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.OrdersCdcPublisher;

/// <summary>Reads the JSON fixtures copied next to the test assembly.</summary>
internal static class Fixtures
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", name));

    public static DynamoDBEvent StreamEvent(string name) =>
        JsonSerializer.Deserialize(Text(name), EventJsonContext.Default.DynamoDBEvent)!;

    public static DynamoDBStreamRecord Record(string name, int index) => StreamEvent(name).Records[index];
}
