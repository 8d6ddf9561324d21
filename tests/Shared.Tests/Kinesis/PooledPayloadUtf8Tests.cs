using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Kinesis;

namespace Pipelines.Tests.Shared.Kinesis;

/// <summary>The UTF-8 overload must accept and refuse exactly what the string overload does, with the same reasons.</summary>
[TestFixture]
public sealed class PooledPayloadUtf8Tests
{
    [TestCase("eyJhIjoxfQ==")]
    [TestCase("")]
    [TestCase("aGk=")]
    [TestCase("aGk")]
    [TestCase("aG k=")]
    [TestCase("aGk=\n")]
    [TestCase("a*k=")]
    [TestCase("aGk==aGk")]
    [TestCase("/w==")]           // 0xFF: valid base64, invalid UTF-8
    [TestCase("w6k=")]           // "é"
    public void Agrees_with_the_string_overload(string base64)
    {
        var fromString = PooledPayload.TryDecode(base64, out var expected);
        var fromUtf8 = PooledPayload.TryDecode(Encoding.UTF8.GetBytes(base64), out var actual);
        using (expected)
        using (actual)
        {
            fromUtf8.Should().Be(fromString);
            actual.Span.ToArray().Should().Equal(expected.Span.ToArray());
        }
    }
}
