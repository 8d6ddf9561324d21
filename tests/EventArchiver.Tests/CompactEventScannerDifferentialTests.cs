using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events.Domain;
using Pipelines.Tests.EventArchiver.Support;

namespace Pipelines.Tests.EventArchiver;

/// <summary>
/// The compact scanner against the reader path over real corpora and random mutations of them. Fixtures/
/// bench-event-payloads.jsonl holds the first 300 payloads the bench's generator (EventPayloads.Generate, seed 3002,
/// as EventsWorkload calls it) produces: the events producer's own JSON.
/// </summary>
public class CompactEventScannerDifferentialTests
{
    [Test]
    public void Handles_nearly_every_bench_payload_and_agrees_with_the_reader_on_all_of_them()
    {
        var payloads = BenchPayloads();
        payloads.Should().HaveCount(300);

        var handled = payloads.Count(ScannerAgreement.Check);

        // The generator's few broken records ("not closed") are the only ones left to the reader.
        handled.Should().BeGreaterThan(payloads.Count * 95 / 100, "the producer's compact JSON is the shape the scanner is for");
    }

    [Test]
    public void Agrees_with_the_reader_on_the_golden_corpus_and_the_bad_events()
    {
        var payloads = GoldenPayloads().Concat(BadEventPayloads()).ToList();
        payloads.Should().HaveCountGreaterThan(300);

        var handled = payloads.Count(ScannerAgreement.Check);

        handled.Should().BeGreaterThan(0, "the corpus has compact events too");
    }

    [Test]
    public void Agrees_with_the_reader_on_thirty_thousand_random_mutations()
    {
        var sources = BenchPayloads().Concat(GoldenPayloads()).Concat(BadEventPayloads()).ToList();
        var random = new Random(8008);
        int handled = 0, declined = 0;

        for (var n = 0; n < 30_000; n++)
        {
            var payload = sources[random.Next(sources.Count)];
            var mutations = 1 + random.Next(3);
            for (var m = 0; m < mutations; m++) payload = Mutate(payload, random);
            if (ScannerAgreement.Check(payload)) handled++;
            else declined++;
        }

        // Both outcomes are exercised: mutations that keep the shape (numbers, literals, nesting, printable text)
        // must be read exactly; the rest must be declined.
        handled.Should().BeGreaterThan(3_000);
        declined.Should().BeGreaterThan(3_000);
    }

    private static readonly string[] Numbers =
    [
        "0", "-0", "-0.0", "1", "-1", "01", "-01", "1.", ".5", "-", "+1", "1e5", "1E+5", "1e-5", "1.5E-3", "1e", "1e+",
        "1.0e", "00", "0.0", "1.50", "1714401939", "1714401939.123", "1714401939.100", "-1714401939", "253402300800",
        "253402300799.999", "99999999999999999999999999999999", "1e400", "1e-400", "0.000000000000000000000000000001",
        "123456789012345678", "1234567890123456789", "12345678901234567890", "-9.5", "1.7092944E9", "2e1", "0e0", "NaN",
        "Infinity", "1_000",
    ];

    private static readonly string[] Values =
    [
        "true", "false", "null", "tru", "True", "nul", "fals", "{}", "[]", "[1,2]", "[1,]", "[,1]", "{\"a\":1}",
        "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"b\":2}}", "[{\"x\":1},{\"x\":2}]", "{\"a\":1,}", "\"\"", "\"plain\"",
        "\"event_type\"", "{\"event_type\":\"x\"}", "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]", "{\"created_at\":1}",
    ];

    private static readonly string[] Inserts =
    [
        " ", "\t", "\n", "\r", "\\", "\\n", "\\u0041", "\\u00e9", "\"", "'", ":", ",", "{", "}", "[", "]", "0", "7", "-",
        ".", "e", "é", "€", "\u007f", "\u0001", "\"event_type\":\"x\",", "\"created_datetime\":\"x\",",
        "\"event_uuid\":\"3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14\",", "\"n\":1,\"n\":2,", "\\ud800", "\"\\ud800abcdefghi\":1,",
    ];

    /// <summary>One random change: bytes flipped, inserted or deleted, a cut, or a value or member swapped in.</summary>
    private static byte[] Mutate(byte[] payload, Random random)
    {
        var text = Encoding.UTF8.GetString(payload);
        var at = text.Length == 0 ? 0 : random.Next(text.Length + 1);
        switch (random.Next(9))
        {
            case 0: // a byte flipped to anything, at the byte level (may break UTF-8)
                if (payload.Length == 0) return payload;
                var flipped = (byte[])payload.Clone();
                flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                return flipped;
            case 1:
                return Encoding.UTF8.GetBytes(text.Insert(at, Inserts[random.Next(Inserts.Length)]));
            case 2:
                return text.Length == 0 ? payload : Encoding.UTF8.GetBytes(text.Remove(random.Next(text.Length), 1));
            case 3: // truncated
                return payload[..random.Next(payload.Length + 1)];
            case 4: // created_at (or the first number) replaced
                return Encoding.UTF8.GetBytes(ReplaceValue(text, "\"created_at\":", Numbers[random.Next(Numbers.Length)]));
            case 5: // a value somewhere replaced by another value (nesting, literals, repeated names inside)
                return Encoding.UTF8.GetBytes(ReplaceAnyValue(text, random, Values[random.Next(Values.Length)]));
            case 6: // a member repeated (a name the object already has)
                return Encoding.UTF8.GetBytes(RepeatMember(text, random));
            case 7: // printable text changed inside a string: still the shape
                var printable = (char)random.Next(0x20, 0x7F);
                if (printable is '"' or '\\') printable = 'q';
                return Encoding.UTF8.GetBytes(ReplaceAnyValue(text, random, "\"" + printable + "x\""));
            default: // uuid in upper case, or the event name changed
                return Encoding.UTF8.GetBytes(random.Next(2) == 0 ? text.ToUpperInvariant() : ReplaceValue(text, "\"event_name\":", "\"page::\""));
        }
    }

    /// <summary>The value after <paramref name="member"/> (up to the next ',' or '}') replaced; the text as is when absent.</summary>
    private static string ReplaceValue(string text, string member, string value)
    {
        var start = text.IndexOf(member, StringComparison.Ordinal);
        if (start < 0) return text;
        start += member.Length;
        var end = text.IndexOfAny([',', '}'], start);
        return end < 0 ? text : string.Concat(text.AsSpan(0, start), value, text.AsSpan(end));
    }

    /// <summary>The value of a random member (after its ':' up to the next ',' or '}') replaced.</summary>
    private static string ReplaceAnyValue(string text, Random random, string value)
    {
        var colons = Enumerable.Range(0, text.Length).Where(i => text[i] == ':').ToList();
        if (colons.Count == 0) return text;
        var start = colons[random.Next(colons.Count)] + 1;
        var end = text.IndexOfAny([',', '}'], start);
        return end < 0 ? text : string.Concat(text.AsSpan(0, start), value, text.AsSpan(end));
    }

    /// <summary>A member of the root copied in again after the opening brace.</summary>
    private static string RepeatMember(string text, Random random)
    {
        var quotes = Enumerable.Range(0, text.Length).Where(i => text[i] == '"' && i > 0 && text[i - 1] is ',' or '{').ToList();
        if (quotes.Count == 0 || !text.StartsWith('{')) return text;
        var start = quotes[random.Next(quotes.Count)];
        var end = text.IndexOfAny([',', '}'], start);
        return end < 0 ? text : string.Concat("{", text.AsSpan(start, end - start), ",", text.AsSpan(1));
    }

    private static List<byte[]> BenchPayloads() =>
        File.ReadAllLines(Fixtures.Path("bench-event-payloads.jsonl")).Select(Encoding.UTF8.GetBytes).ToList();

    private static List<byte[]> GoldenPayloads() =>
        File.ReadAllLines(Fixtures.Path("parser-golden.jsonl"))
            .Select(line =>
            {
                using var doc = JsonDocument.Parse(line);
                return Convert.FromBase64String(doc.RootElement.GetProperty("data").GetString()!);
            })
            .ToList();

    private static IEnumerable<byte[]> BadEventPayloads()
    {
        foreach (var (_, data, _) in Fixtures.BadEvents())
        {
            var buffer = new byte[data.Length];
            if (Convert.TryFromBase64String(data, buffer, out var length)) yield return buffer[..length];
        }
    }
}
