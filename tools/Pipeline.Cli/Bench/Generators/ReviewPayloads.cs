using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipelines.Cli.Producers;

namespace Pipelines.Cli.Bench.Generators;

/// <summary>
/// Review payloads as the reviews producer sends them (the same vocabulary), sized around 600 bytes, with a small share
/// of records that can never be stored (so the rejects path is part of the measured work, as in real traffic).
/// </summary>
internal static class ReviewPayloads
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="invalidShare">Fraction of records that are truncated JSON or break a rule.</param>
    public static List<(byte[] Data, string PartitionKey, bool Valid)> Generate(Random random, int count, double invalidShare, ref int nextId)
    {
        var list = new List<(byte[], string, bool)>(count);
        for (var i = 0; i < count; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"R{nextId++:D13}");
            var invalid = random.NextDouble() < invalidShare;
            var data = Review(random, id, invalid ? random.Next(3) : -1);
            list.Add((data, id, !invalid));
        }
        return list;
    }

    /// <param name="corruption">-1 for a valid review; 0..2 for truncated JSON, a missing reviewer, a rating of 7.</param>
    private static byte[] Review(Random random, string id, int corruption)
    {
        var (category, products) = ReviewsCatalog.Products[random.Next(ReviewsCatalog.Products.Length)];
        var product = products[random.Next(products.Length)];
        var rating = 1 + random.Next(5);
        var text = new StringBuilder(string.Format(CultureInfo.InvariantCulture, Pick(random, ReviewsCatalog.OpeningsByRating[rating]), product));
        // Long enough that the whole payload lands around 600 bytes, as the workload specifies.
        var targetLength = random.Next(210, 370);
        while (text.Length < targetLength) text.Append(' ').Append(Pick(random, ReviewsCatalog.Details));
        var date = new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(-random.Next(3600, 730 * 86_400));

        using var buffer = new MemoryStream(768);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("review_id", id);
            if (corruption != 1) w.WriteString("reviewer_id", "A" + RandomId(random, 13));
            w.WriteString("product_id", "B0" + RandomId(random, 8));
            w.WriteString("marketplace_id", Pick(random, ReviewsCatalog.Marketplaces));
            w.WriteNumber("star_rating", corruption == 2 ? 7 : rating);
            w.WriteString("review_title", Pick(random, ReviewsCatalog.TitlesByRating[rating]));
            w.WriteString("review_text", text.ToString());
            w.WriteString("review_date", date.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteString("product_category", category);
            if (random.Next(5) > 0) w.WriteNumber("helpful_votes", random.Next(0, 40));
            if (random.Next(5) > 0) w.WriteBoolean("verified_purchase", random.Next(10) < 8);
            if (random.Next(6) == 0) w.WriteString("vine", random.Next(2) == 0 ? "Y" : "N");
            w.WriteEndObject();
        }
        var bytes = buffer.ToArray();
        return corruption == 0 ? bytes[..(bytes.Length / 2)] : bytes;
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string RandomId(Random random, int length)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return string.Create(length, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = Alphabet[r.Next(Alphabet.Length)];
        });
    }
}
