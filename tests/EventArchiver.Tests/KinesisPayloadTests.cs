using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events.Domain;

namespace Pipelines.Tests.EventArchiver;

/// <summary>
/// The payload decoder reads the event's UTF-8 base64 text directly; it must accept and refuse exactly what the
/// earlier string decoder (Convert.TryFromBase64String) did, whitespace included.
/// </summary>
public class KinesisPayloadTests
{
    private static readonly string[] Cases =
    [
        "QQ==", "QUJD", "QUJDRA==", "", "eyJhIjoxfQ==",
        // Whitespace between characters: Convert skips space, tab, CR and LF anywhere.
        " QQ==", "QQ==\n", "QQ\r\n==", "Q Q = =", "QQ= =", "QUJD\tREVG", "QUJD RA==", "QUJDRA ==", "   ",
        // Non-zero bits after the last character: Convert ignores them (Base64.DecodeFromUtf8 does not).
        "QR==", "QUJDRB==",
        // Refused by both.
        "QQ", "QQ=", "QQ===", "Q===", "=", "====", "QQ==QQ==", "QUJ\fD", "QUJ\vD", "QUJDRA", "Q!==", "QUJD-_==", "Q\u00e9==",
    ];

    [TestCaseSource(nameof(Cases))]
    public void Accepts_and_decodes_exactly_what_Convert_does(string input)
    {
        var expected = new byte[input.Length + 3];
        var expectedOk = Convert.TryFromBase64String(input, expected, out var expectedLength);

        var ok = KinesisPayload.TryDecode(Encoding.UTF8.GetBytes(input), out var rented, out var length, out var reason);
        try
        {
            ok.Should().Be(expectedOk);
            if (ok)
            {
                reason.Should().BeNull();
                rented.AsSpan(0, length).ToArray().Should().Equal(expected.AsSpan(0, expectedLength).ToArray());
            }
            else
            {
                reason!.Code.Should().Be(RejectReason.InvalidBase64);
            }
        }
        finally
        {
            KinesisPayload.Return(rented);
        }
    }

    [Test]
    public void Refuses_base64_that_would_decode_past_the_size_limit_before_decoding_it()
    {
        var base64 = Convert.ToBase64String(new byte[EventParser.MaxEventBytes + 30]);

        KinesisPayload.TryDecode(Encoding.UTF8.GetBytes(base64), out _, out _, out var reason).Should().BeFalse();

        reason!.Code.Should().Be(RejectReason.Oversize);
    }

    [Test]
    public void Decodes_a_payload_of_exactly_the_size_limit()
    {
        var payload = new byte[EventParser.MaxEventBytes];
        Random.Shared.NextBytes(payload);

        KinesisPayload.TryDecode(Encoding.UTF8.GetBytes(Convert.ToBase64String(payload)), out var rented, out var length, out _).Should().BeTrue();

        rented.AsSpan(0, length).SequenceEqual(payload).Should().BeTrue();
        KinesisPayload.Return(rented);
    }
}
