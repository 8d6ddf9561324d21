using System.Globalization;
using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Transform.Domain;
using Pipelines.Tests.OrdersFirehoseTransform.Legacy;

namespace Pipelines.Tests.OrdersFirehoseTransform;

/// <summary>The partition date decides which S3 prefix a line lands in: it must be the general parser's answer, always.</summary>
public class CreationDateTests
{
    private static void AssertSameAsParser(string text)
    {
        var expectedOk = LegacyCreationDate.TryGetUtcDate(text, out var expected);

        var ok = CreationDate.TryGetUtcDate(Encoding.UTF8.GetBytes(text), out var date);

        ok.Should().Be(expectedOk, text);
        date.Should().Be(expected, text);
    }

    [TestCase("2024-03-07T23:29:58.123Z")]
    [TestCase("2024-03-07T23:29:58Z")]
    [TestCase("2024-03-07T23:59:59.9999999Z")]
    [TestCase("2024-03-07T23:59:59.99999999Z")] // 8 digits: left to the parser
    [TestCase("2024-03-07T23:59:59.Z")]
    [TestCase("2024-02-29T00:00:00Z")]
    [TestCase("2023-02-29T00:00:00Z")]
    [TestCase("0000-01-01T00:00:00Z")]
    [TestCase("0001-01-01T00:00:00Z")]
    [TestCase("9999-12-31T23:59:59.9999999Z")]
    [TestCase("2024-03-07T24:00:00Z")]
    [TestCase("2024-03-07T23:60:00Z")]
    [TestCase("2024-03-07T23:59:60Z")]
    [TestCase("2024-13-07T10:00:00Z")]
    [TestCase("2024-00-07T10:00:00Z")]
    [TestCase("2024-03-00T10:00:00Z")]
    [TestCase("2024-03-07t23:29:58z")]
    [TestCase("2024-03-07 23:29:58Z")]
    [TestCase("2024-03-07T23:29:58+01:00")]
    [TestCase("2024-03-07T23:29:58")]
    [TestCase("2024-03-07T2:29:58Z")]
    [TestCase("2024-03-07T23:29:5aZ")]
    [TestCase("2024-03-07T23:29:58.12a4Z")]
    [TestCase("2024-03-07")]
    [TestCase("2024-03-07T")]
    public void Agrees_with_the_general_parser(string text) => AssertSameAsParser(text);

    [Test]
    public void Agrees_with_the_general_parser_on_generated_timestamps()
    {
        var random = new Random(7);
        string[] suffixes = ["Z", "Z", "Z", "z", "", "+02:00", "-05:30", " ", "ZZ"];
        for (var i = 0; i < 50_000; i++)
        {
            var fraction = random.Next(0, 10) switch
            {
                0 => "",
                var n => "." + string.Concat(Enumerable.Range(0, n).Select(_ => (char)('0' + random.Next(10)))),
            };
            var text = string.Create(CultureInfo.InvariantCulture,
                $"{random.Next(0, 10_000):D4}-{random.Next(0, 14):D2}-{random.Next(0, 33):D2}T{random.Next(0, 26):D2}:{random.Next(0, 62):D2}:{random.Next(0, 62):D2}{fraction}{suffixes[random.Next(suffixes.Length)]}");
            AssertSameAsParser(text);
        }
    }
}
