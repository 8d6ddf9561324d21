using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Transform.Firehose;

namespace Pipelines.Tests.OrdersFirehoseTransform;

/// <summary>Which records are "not valid base64" is part of the function's behaviour: Convert's verdict, decoded from UTF-8.</summary>
public class Base64TextTests
{
    private static (bool Ok, byte[] Bytes) Decode(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var destination = new byte[Base64Text.MaxDecodedLength(utf8.Length)];
        var ok = Base64Text.TryDecode(utf8, destination, out var written);
        return (ok, destination[..written]);
    }

    [TestCase("QUJD", "ABC")]
    [TestCase("QUI=", "AB")]
    [TestCase("QQ==", "A")]
    [TestCase("QR==", "A")]  // unused bits set: Convert accepts it
    [TestCase("QUJ=", "AB")] // likewise
    [TestCase(" QU\tJD\r\n", "ABC")]
    [TestCase("", "")]
    public void Decodes_what_convert_accepts(string base64, string expected)
    {
        var (ok, bytes) = Decode(base64);

        ok.Should().BeTrue();
        Encoding.UTF8.GetString(bytes).Should().Be(expected);
    }

    [TestCase("QUJ")]
    [TestCase("Q===")]
    [TestCase("QUJD=")]
    [TestCase("QU=D")]
    [TestCase("not*base64!")]
    [TestCase("QUJD-_")]
    [TestCase("ÉÉÉÉ")]
    public void Refuses_what_convert_refuses(string base64)
    {
        Decode(base64).Ok.Should().BeFalse();
    }

    [Test]
    public void Agrees_with_convert_on_random_text()
    {
        var random = new Random(8);
        const string alphabet = "AQgw+/=  \t\n\rz-_";
        for (var i = 0; i < 100_000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 14)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var expected = new byte[16];
            var expectedOk = Convert.TryFromBase64String(text, expected, out var expectedLength);

            var (ok, bytes) = Decode(text);

            ok.Should().Be(expectedOk, $"\"{text}\"");
            if (ok) bytes.Should().Equal(expected[..expectedLength], $"\"{text}\"");
        }
    }
}
