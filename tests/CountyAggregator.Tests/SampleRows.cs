using System.Text;
using System.Text.Json.Nodes;
using Pipelines.Counties.Domain;
using Pipelines.Shared.Kinesis;

namespace Pipelines.Tests.CountyAggregator;

/// <summary>A parsed row: the county it counts towards, or why it is rejected.</summary>
internal sealed record ParsedRow(string? County, string? RejectReason);

/// <summary>Rows as the counties producer sends them: the CSV columns plus a UTC timestamp.</summary>
internal static class SampleRows
{
    /// <summary>Kinesis events as Lambda delivers them from county-ingestion-stream to county-aggregator.</summary>
    public static readonly KinesisEventBuilder Events = new("county-ingestion-stream", "county-aggregator");

    public static JsonObject Row(string? county, string water = "Beaver Kill", string timestamp = "2024-05-01T12:00:00.000Z")
    {
        var row = new JsonObject
        {
            ["Water"] = water,
            ["County"] = county,
            ["Fish Species"] = "Brown Trout, Brook Trout",
            ["Comments"] = "Catch and release section, \"no-kill\" from the covered bridge",
            ["timestamp"] = timestamp,
        };
        return row;
    }

    public static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    public static ParsedRow Parse(JsonNode node) => Parse(Bytes(node));

    public static ParsedRow Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>What <see cref="CountyRowParser"/> makes of <paramref name="utf8Json"/>, with the county as a string.</summary>
    public static ParsedRow Parse(byte[] utf8Json)
    {
        var result = CountyRowParser.Parse(utf8Json);
        return new ParsedRow(result.IsAccepted ? Encoding.UTF8.GetString(result.County) : null, result.RejectReason);
    }

    /// <summary>A record at position <paramref name="index"/> of a shard: sequence numbers and arrival times grow with it.</summary>
    public static SourceRecord Source(int index, string shard = "shardId-000000000000") => new(
        "49650000000000000000000000000000" + index.ToString("D24", System.Globalization.CultureInfo.InvariantCulture),
        shard,
        "pk",
        DateTimeOffset.FromUnixTimeMilliseconds(1_714_564_800_000 + index * 37L));
}
