using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipelines.Cli.Bench.Generators;

/// <summary>
/// Rows of the "Recommended Fishing Rivers and Streams" data set (Water, County, Fish Species, Comments) as the
/// counties producer sends them: every CSV column by header name plus <c>timestamp</c>, partition key the county.
/// A small share of rows has no county (rejected by the function).
/// </summary>
internal static class CountyRowPayloads
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Counties =
    [
        "Albany", "Allegany", "Broome", "Cattaraugus", "Cayuga", "Chautauqua", "Chemung", "Chenango", "Clinton", "Columbia",
        "Cortland", "Delaware", "Dutchess", "Erie", "Essex", "Franklin", "Fulton", "Genesee", "Greene", "Hamilton",
        "Herkimer", "Jefferson", "Lewis", "Livingston", "Madison", "Monroe", "Montgomery", "Niagara", "Oneida", "Onondaga",
        "Ontario", "Orange", "Orleans", "Oswego", "Otsego", "Putnam", "Rensselaer", "Rockland", "Saratoga", "Schenectady",
        "Schoharie", "Schuyler", "Seneca", "St. Lawrence", "Steuben", "Suffolk", "Sullivan", "Tioga", "Tompkins", "Ulster",
        "Warren", "Washington", "Wayne", "Westchester", "Wyoming", "Yates",
    ];

    private static readonly string[] Waters =
    [
        "Beaver Kill", "Willowemoc Creek", "Esopus Creek", "Ausable River", "Salmon River", "Oatka Creek", "Catharine Creek",
        "Cattaraugus Creek", "Neversink River", "Batten Kill", "Black River", "Chittenango Creek", "Genesee River", "Kinderhook Creek",
    ];

    private static readonly string[] Species =
    [
        "Brown Trout", "Brook Trout", "Rainbow Trout", "Smallmouth Bass", "Walleye", "Chinook Salmon", "Steelhead", "Northern Pike",
    ];

    private static readonly string[] Comments =
    [
        "Catch and release section below Junction Pool.", "Public fishing rights along most of the stream.",
        "Best in spring; low and warm by August.", "Stocked annually by the state.", "Wild fish above the falls.",
        "Parking at the bridge; access from both banks.", "",
    ];

    public static List<(byte[] Data, string PartitionKey, bool Valid)> Generate(Random random, int count, double missingCountyShare)
    {
        var rows = new List<(byte[], string, bool)>(count);
        var at = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var missing = random.NextDouble() < missingCountyShare;
            var county = missing ? "" : Counties[random.Next(Counties.Length)];
            at = at.AddMilliseconds(100);
            using var buffer = new MemoryStream(256);
            using (var w = new Utf8JsonWriter(buffer, WriterOptions))
            {
                w.WriteStartObject();
                w.WriteString("Water", Waters[random.Next(Waters.Length)]);
                w.WriteString("County", county);
                w.WriteString("Fish Species", string.Join(", ", Species.Where(_ => random.Next(3) == 0).DefaultIfEmpty(Species[0])));
                w.WriteString("Comments", Comments[random.Next(Comments.Length)]);
                w.WriteString("timestamp", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }
            rows.Add((buffer.ToArray(), missing ? $"no-county-{i:x8}" : county, !missing));
        }
        return rows;
    }
}
