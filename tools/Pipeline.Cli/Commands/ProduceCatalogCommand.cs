using System.Globalization;
using Pipelines.Cli.Producers;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Topology;
using Pipelines.Shared.Aws;

namespace Pipelines.Cli.Commands;

/// <summary><c>produce catalog</c>: drops realistic partner catalog files into the source bucket.</summary>
public sealed class ProduceCatalogCommand : ICommand
{
    public string Name => "produce catalog";

    public string Summary =>
        "--files N --records M --partners P [--overlap 0.3] [--bad-lines 0.01] [--bucket name] [--date YYYY/MM/DD] [--seed S]: write partner jsonl files to the catalog source bucket";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new CatalogProduceOptions(
            Files: Positive(args, "files", 3),
            RecordsPerFile: Positive(args, "records", 100),
            Partners: Positive(args, "partners", 3),
            Overlap: Fraction(args, "overlap", 0.3),
            BadLines: Fraction(args, "bad-lines", 0.0),
            Bucket: args.Get("bucket") ?? DefaultBucket(),
            Date: ParseDate(args.Get("date")),
            Seed: args.GetInt("seed", Random.Shared.Next()));

        using var s3 = AwsSdkClients.CreateS3();
        var producer = new CatalogProducer(s3);
        var progress = new Progress<CatalogFileWritten>(f =>
            Console.WriteLine($"  s3://{options.Bucket}/{f.Key}  {f.GoodLines} records, {f.BadLines} bad lines, {f.Bytes} bytes"));
        Console.WriteLine($"writing {options.Files} files x {options.RecordsPerFile} lines for {options.Partners} partners (seed {options.Seed})");
        var produced = await producer.RunAsync(options, progress, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {produced.Files.Count} files, {produced.GoodLines} records, {produced.BadLines} bad lines, {produced.Bytes} bytes; " +
            $"{produced.ExpectedAccommodations().Count} distinct accommodations expected in the output (before any blacklist)"));
        return 0;
    }

    private static int Positive(CliArgs args, string name, int fallback)
    {
        var value = args.GetInt(name, fallback);
        return value >= 1 ? value : throw new CliUsageException($"--{name} must be at least 1");
    }

    private static double Fraction(CliArgs args, string name, double fallback)
    {
        var value = args.GetDouble(name, fallback);
        return value is >= 0 and <= 1 ? value : throw new CliUsageException($"--{name} must be between 0 and 1");
    }

    private static DateOnly ParseDate(string? raw)
    {
        if (raw is null) return DateOnly.FromDateTime(DateTime.UtcNow);
        return DateOnly.TryParseExact(raw, ["yyyy/MM/dd", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new CliUsageException($"--date expects YYYY/MM/DD, got '{raw}'");
    }

    internal static string DefaultBucket() =>
        TopologyReader.LoadFromRepo(RepoLocator.FindRepoRoot()).Pipeline("catalog").Buckets["source"].Name;
}
