using System.Globalization;
using System.Text;

namespace Pipelines.Cli.LocalRun;

/// <summary>One pipeline's line in the summary, and the checks that decide whether its end state is right.</summary>
internal sealed class PipelineReport(string name)
{
    public string Name { get; } = name;
    public long In { get; set; }
    public long Written { get; set; }
    public long Rejected { get; set; }
    public long? Duplicates { get; set; }
    public long Dlq { get; set; }
    public TimeSpan Elapsed { get; set; }
    public List<string> Problems { get; } = [];
    public List<string> Facts { get; } = [];
    public List<string> Results { get; } = [];

    public bool Ok => Problems.Count == 0;

    public double Throughput => Elapsed.TotalSeconds > 0 ? In / Elapsed.TotalSeconds : 0;

    /// <summary>Adds a problem unless <paramref name="condition"/> holds.</summary>
    public void Expect(bool condition, string problem)
    {
        if (!condition) Problems.Add(problem);
    }

    public static string Table(IReadOnlyList<PipelineReport> reports)
    {
        var sb = new StringBuilder();
        var header = string.Format(CultureInfo.InvariantCulture, "{0,-9} {1,8} {2,8} {3,8} {4,10} {5,5} {6,9} {7,9}  {8}",
            "pipeline", "in", "written", "rejected", "duplicates", "DLQ", "elapsed", "rec/s", "end state");
        sb.AppendLine(header).AppendLine(new string('-', header.Length + 6));
        foreach (var r in reports)
        {
            sb.AppendLine(string.Format(CultureInfo.InvariantCulture, "{0,-9} {1,8} {2,8} {3,8} {4,10} {5,5} {6,8:0.0}s {7,9:0.0}  {8}",
                r.Name, r.In, r.Written, r.Rejected, r.Duplicates?.ToString(CultureInfo.InvariantCulture) ?? "-", r.Dlq,
                r.Elapsed.TotalSeconds, r.Throughput, r.Ok ? "OK" : "WRONG"));
        }
        sb.AppendLine("in: records produced; written: rows/lines found in the sink; rejected: records in the rejects/error places;");
        sb.AppendLine("DLQ: messages in the on-failure queues and the DLQ; elapsed: producers' start to the pipeline's last handled record; rec/s: in / elapsed.");
        return sb.ToString();
    }
}
