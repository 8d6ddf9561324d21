using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Tests.Terraform.Infrastructure;

/// <summary>Small readers for hcl2json output: blocks are arrays of objects, expressions are "${...}" strings.</summary>
internal static class Json
{
    /// <summary>The objects of a block list (or a single object).</summary>
    public static IEnumerable<JsonObject> Objects(JsonNode? node) => node switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject obj => [obj],
        _ => [],
    };

    /// <summary>The first object of a nested block, e.g. Block(body, "tracing_config")?["mode"].</summary>
    public static JsonObject? Block(JsonNode? body, string name) => body is JsonObject obj ? Objects(obj[name]).FirstOrDefault() : null;

    public static string? Str(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static bool IsTrue(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    public static bool IsFalse(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.False;

    public static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? value.GetValue<double>() : null;

    /// <summary>True for a "${...}" expression string.</summary>
    public static bool IsExpression(JsonNode? node) => Str(node) is { } s && s.Contains("${", StringComparison.Ordinal);

    /// <summary>Literal strings of a list attribute (expressions inside the list are returned as written).</summary>
    public static IReadOnlyList<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(Str).OfType<string>().ToList(),
        JsonValue when Str(node) is { } s => [s],
        _ => [],
    };

    /// <summary>Every string value anywhere below a node (for reference scans).</summary>
    public static IEnumerable<string> AllStrings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key.Contains("${", StringComparison.Ordinal))
                    {
                        yield return key;
                    }

                    foreach (var s in AllStrings(value))
                    {
                        yield return s;
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var s in AllStrings(item))
                    {
                        yield return s;
                    }
                }

                break;
            case JsonValue when Str(node) is { } text:
                yield return text;
                break;
        }
    }
}
