using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Amazon.S3;
using Pipelines.Shared.Aws;

namespace Pipelines.Cli.Producers;

/// <summary>What <c>produce catalog</c> writes.</summary>
/// <param name="Files">Number of partner files.</param>
/// <param name="RecordsPerFile">Lines per file (bad lines included).</param>
/// <param name="Partners">Number of partners the files are spread over (round-robin).</param>
/// <param name="Overlap">Share of each file's records that describe accommodations other partners also describe.</param>
/// <param name="BadLines">Share of lines that are deliberately broken (bad JSON, missing required fields).</param>
public sealed record CatalogProduceOptions(
    int Files,
    int RecordsPerFile,
    int Partners,
    double Overlap,
    double BadLines,
    string Bucket,
    DateOnly Date,
    int Seed);

/// <summary>One written file: its key and how many good and bad lines it holds.</summary>
public sealed record CatalogFileWritten(string Key, string PartnerId, int GoodLines, int BadLines, long Bytes);

/// <summary>
/// What was written, so the local-cloud main job can check the end state: every accommodation (content type + id) that
/// a partner described with a valid line, and which partners did.
/// </summary>
public sealed record CatalogProduced(
    string Bucket,
    IReadOnlyList<CatalogFileWritten> Files,
    IReadOnlyDictionary<(string ContentType, string AccommodationId), IReadOnlySet<string>> PartnersByAccommodation)
{
    public long GoodLines => Files.Sum(f => f.GoodLines);
    public long BadLines => Files.Sum(f => f.BadLines);
    public long Bytes => Files.Sum(f => f.Bytes);

    /// <summary>The accommodations the output must contain once the given partners' records are dropped.</summary>
    public IReadOnlySet<(string ContentType, string AccommodationId)> ExpectedAccommodations(IReadOnlyCollection<string>? blacklisted = null)
    {
        var dropped = blacklisted ?? [];
        return PartnersByAccommodation.Where(kv => kv.Value.Any(p => !dropped.Contains(p))).Select(kv => kv.Key).ToHashSet();
    }
}

/// <summary>
/// Writes realistic partner catalog files to the source bucket: several partners describe the same accommodations with
/// differing values and different missing fields, in <c>YYYY/MM/DD/&lt;partner&gt;-&lt;n&gt;.jsonl</c> objects. The first two
/// partners are "sunny stays" and "hôtellerie" so keys with a space and with non-ASCII characters are always exercised.
/// </summary>
public sealed class CatalogProducer(IAmazonS3 s3)
{
    private static readonly string[] PartnerNames =
    [
        "sunny stays", "hôtellerie", "acme-travel", "globex", "initech", "umbrella", "stark-rentals", "wayne-lodging",
        "wonka-trips", "tyrell-homes", "cyberdyne-beds", "soylent-inns",
    ];
    private static readonly string[] ContentTypes = ["hotel", "hotel", "hotel", "apartment", "hostel"];
    private static readonly string[] Cities = ["Lisboa", "Berlin", "Kraków", "São Paulo", "Zürich", "Kyoto", "Austin", "Nairobi"];
    private static readonly string[] Countries = ["PT", "DE", "PL", "BR", "CH", "JP", "US", "KE"];
    private static readonly string[] Amenities = ["wifi", "parking", "pool", "gym", "spa", "breakfast", "pets", "air_conditioning", "bar"];
    private static readonly string[] NameWords = ["Grand", "Old Town", "Riverside", "Harbour", "Garden", "Central", "Sky", "Maple", "Castle", "Dune"];
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<CatalogProduced> RunAsync(CatalogProduceOptions options, IProgress<CatalogFileWritten>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var random = new Random(options.Seed);
        var partners = Enumerable.Range(0, options.Partners).Select(PartnerName).ToList();
        // The shared pool: accommodations several partners describe. Size it so overlapping records collide often.
        var sharedPool = Enumerable.Range(0, Math.Max(1, (int)(options.Files * options.RecordsPerFile * options.Overlap / Math.Max(2, Math.Min(options.Partners, 4)))))
            .Select(i => (ContentType: ContentTypes[i % ContentTypes.Length], Id: $"ACC-{i:D6}"))
            .ToList();
        var describedBy = new Dictionary<(string, string), HashSet<string>>();
        var writer = new S3ObjectWriter(s3);
        var files = new List<CatalogFileWritten>(options.Files);
        var perPartnerCount = new Dictionary<string, int>(StringComparer.Ordinal);
        var uniqueCounter = 0;

        for (var f = 0; f < options.Files; f++)
        {
            var (partnerName, partnerId) = partners[f % partners.Count];
            var n = perPartnerCount[partnerId] = perPartnerCount.GetValueOrDefault(partnerId) + 1;
            var key = $"{options.Date.Year:D4}/{options.Date.Month:D2}/{options.Date.Day:D2}/{partnerName}-{n}.jsonl";
            using var body = new MemoryStream();
            int good = 0, bad = 0;
            for (var r = 0; r < options.RecordsPerFile; r++)
            {
                (string ContentType, string Id) accommodation = random.NextDouble() < options.Overlap
                    ? sharedPool[random.Next(sharedPool.Count)]
                    : (ContentTypes[random.Next(ContentTypes.Length)], $"{Slug(partnerId).ToUpperInvariant()}-{++uniqueCounter:D7}");
                if (random.NextDouble() < options.BadLines)
                {
                    WriteBadLine(body, random, partnerId, accommodation.Id, accommodation.ContentType);
                    bad++;
                }
                else
                {
                    WriteRecord(body, random, partnerId, accommodation.ContentType, accommodation.Id, options.Date);
                    if (!describedBy.TryGetValue(accommodation, out var set)) describedBy[accommodation] = set = new HashSet<string>(StringComparer.Ordinal);
                    set.Add(partnerId);
                    good++;
                }
                body.WriteByte((byte)'\n');
            }

            body.Position = 0;
            await writer.PutAsync(options.Bucket, key, body, "application/x-ndjson", cancellationToken);
            var written = new CatalogFileWritten(key, partnerId, good, bad, body.Length);
            files.Add(written);
            progress?.Report(written);
        }

        return new CatalogProduced(
            options.Bucket,
            files,
            describedBy.ToDictionary(kv => kv.Key, kv => (IReadOnlySet<string>)kv.Value));
    }

    private static void Validate(CatalogProduceOptions o)
    {
        if (o.Files < 1) throw new ArgumentOutOfRangeException(nameof(o), "files must be at least 1");
        if (o.RecordsPerFile < 1) throw new ArgumentOutOfRangeException(nameof(o), "records must be at least 1");
        if (o.Partners < 1 || o.Partners > PartnerNames.Length * 10) throw new ArgumentOutOfRangeException(nameof(o), $"partners must be 1..{PartnerNames.Length * 10}");
        if (o.Overlap is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(o), "overlap must be between 0 and 1");
        if (o.BadLines is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(o), "bad-lines must be between 0 and 1");
    }

    /// <summary>Key name and partner_id: "sunny stays" is keyed with its space; its id is "sunny_stays".</summary>
    private static (string Name, string Id) PartnerName(int i)
    {
        var name = PartnerNames[i % PartnerNames.Length] + (i >= PartnerNames.Length ? (i / PartnerNames.Length + 1).ToString(CultureInfo.InvariantCulture) : "");
        return (name, name.Replace(' ', '_'));
    }

    private static string Slug(string partnerId)
    {
        var sb = new StringBuilder();
        foreach (var c in partnerId)
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
        return sb.Length > 0 ? sb.ToString()[..Math.Min(6, sb.Length)] : "P";
    }

    /// <summary>One partner's record for an accommodation (the benchmark's catalog input uses it too).</summary>
    internal static void WriteRecord(Stream body, Random random, string partnerId, string contentType, string id, DateOnly date)
    {
        // Fields depend on the accommodation (so partners roughly agree) plus per-partner noise and gaps.
        var stable = new Random(StableSeed(id));
        var city = stable.Next(Cities.Length);
        using var json = new Utf8JsonWriter(body, WriterOptions);
        json.WriteStartObject();
        json.WriteString("partner_id", partnerId);
        json.WriteString("accommodation_id", id);
        json.WriteString("content_type", contentType);
        json.WriteString("name", $"{NameWords[stable.Next(NameWords.Length)]} {contentType} {Cities[city]}{(random.NextDouble() < 0.3 ? " (" + partnerId + ")" : "")}");
        if (random.NextDouble() < 0.8)
        {
            json.WriteStartObject("address");
            json.WriteString("street", $"{stable.Next(1, 300)} {NameWords[stable.Next(NameWords.Length)]} Street");
            json.WriteString("city", Cities[city]);
            json.WriteString("country", Countries[city]);
            if (random.NextDouble() < 0.6) json.WriteString("postal_code", stable.Next(10000, 99999).ToString(CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        if (random.NextDouble() < 0.7)
        {
            json.WriteStartObject("geo");
            json.WriteNumber("lat", Math.Round(stable.NextDouble() * 140 - 70, 6));
            json.WriteNumber("lon", Math.Round(stable.NextDouble() * 360 - 180, 6));
            json.WriteEndObject();
        }
        if (random.NextDouble() < 0.75) json.WriteNumber("rating", Math.Round(5 + random.NextDouble() * 5, 1));
        if (random.NextDouble() < 0.5) json.WriteNumber("stars", stable.Next(1, 6));
        if (random.NextDouble() < 0.7)
        {
            json.WriteStartObject("price");
            json.WriteNumber("amount", Math.Round(30 + random.NextDouble() * 400, 2));
            json.WriteString("currency", "EUR");
            json.WriteEndObject();
        }
        if (random.NextDouble() < 0.6)
        {
            json.WriteStartArray("amenities");
            foreach (var a in Amenities.Where(_ => random.NextDouble() < 0.4)) json.WriteStringValue(a);
            json.WriteEndArray();
        }
        if (random.NextDouble() < 0.4) json.WriteString("phone", $"+{stable.Next(1, 99)} {stable.Next(100, 999)} {random.Next(1000, 9999)}");
        if (random.NextDouble() < 0.3) json.WriteString("description", $"Lovely {contentType} near the {NameWords[random.Next(NameWords.Length)].ToLowerInvariant()} — “{partnerId}” says hi.");
        if (random.NextDouble() < 0.9)
        {
            var at = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddSeconds(random.Next(0, 86_400));
            json.WriteString("updated_at", at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        json.WriteEndObject();
    }

    /// <summary>FNV-1a: string.GetHashCode is randomised per process, and a --seed run must be reproducible.</summary>
    private static int StableSeed(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value) hash = (hash ^ c) * 16777619u;
        return (int)(hash & 0x7fffffff);
    }

    private static void WriteBadLine(Stream body, Random random, string partnerId, string id, string contentType)
    {
        var line = random.Next(4) switch
        {
            0 => $"{{\"partner_id\":\"{partnerId}\",\"accommodation_id\":\"{id}\",\"content_type\":\"{contentType}\",\"name\":\"trunc",
            1 => $"{{\"partner_id\":\"{partnerId}\",\"content_type\":\"{contentType}\",\"name\":\"no id\"}}",
            2 => $"[\"{partnerId}\",\"{id}\"]",
            _ => $"{{\"partner_id\":\"{partnerId}\",\"accommodation_id\":\"{id}\",\"content_type\":\"\"}}",
        };
        var bytes = Encoding.UTF8.GetBytes(line);
        body.Write(bytes);
    }
}
