using System.Globalization;
using System.Text;
using Pipelines.Cli.LocalRun;

namespace Pipelines.Cli.Bench;

/// <summary>One pipeline's end-to-end figure from the local cloud's main job (emulator-bound: reported, no target).</summary>
internal sealed record EndToEndRow(string Pipeline, long Records, double Seconds, double RecordsPerSecond, string EndState);

/// <summary>The main job's outcome: its per-pipeline rows, or why there are none.</summary>
internal sealed record EndToEndResult(IReadOnlyList<EndToEndRow> Rows, bool Small, string? Problem);

/// <summary>
/// Runs the main job (<c>run-local</c>) in this process and takes its summary table: records in, elapsed from the first
/// produced record to the pipeline's last activity, records/s and whether the end state checked out. The producers pace
/// some sources on purpose (counties at tens of rows per second), so these figures describe the local run, not a limit.
/// </summary>
internal static class EndToEndBench
{
    public static async Task<EndToEndResult> RunAsync(string repoRoot, BenchOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        var small = options.Mode != "full";
        using var output = new ForwardingWriter(line => progress("run-local: " + line));
        try
        {
            await new MainJob(new MainJobOptions
            {
                RepoRoot = repoRoot,
                Small = small,
                StateDirectory = Path.Combine(options.WorkDirectory, "run-local"),
            }, output).RunAsync(cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            return new EndToEndResult([], small, e.Message);
        }
        var rows = ParseSummary(output.Text);
        return rows.Count > 0
            ? new EndToEndResult(rows, small, null)
            : new EndToEndResult([], small, "the main job printed no summary table (see its output above)");
    }

    /// <summary>
    /// Reads the main job's table (PipelineReport.Table): <c>pipeline in written rejected duplicates DLQ elapsed rec/s end-state</c>.
    /// </summary>
    internal static List<EndToEndRow> ParseSummary(string text)
    {
        var rows = new List<EndToEndRow>();
        var inTable = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length > 0 && cells[0] == "pipeline" && line.Contains("rec/s", StringComparison.Ordinal))
            {
                inTable = true;
                continue;
            }
            if (!inTable || line.StartsWith('-')) continue;
            if (cells.Length != 9) break;
            if (!long.TryParse(cells[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var records)
                || !double.TryParse(cells[6].TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                || !double.TryParse(cells[7], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate))
                break;
            rows.Add(new EndToEndRow(cells[0], records, seconds, rate, cells[8]));
        }
        return rows;
    }

    /// <summary>Keeps everything written and hands each completed line to a callback (progress on stderr).</summary>
    private sealed class ForwardingWriter(Action<string> onLine) : TextWriter
    {
        private readonly Lock _gate = new();
        private readonly StringBuilder _all = new();
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_gate) return _all.ToString();
            }
        }

        // The main job writes from its progress ticker and its main flow at once.
        public override void Write(char value)
        {
            lock (_gate)
            {
                _all.Append(value);
                if (value != '\n')
                {
                    _line.Append(value);
                    return;
                }
                onLine(_line.ToString().TrimEnd('\r'));
                _line.Clear();
            }
        }
    }
}
