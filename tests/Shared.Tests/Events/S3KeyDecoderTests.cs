using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.Shared.Events;

[TestFixture]
public sealed class S3KeyDecoderTests
{
    [TestCase("HappyFace.jpg", "HappyFace.jpg")]
    [TestCase("New+File.jpg", "New File.jpg")]
    [TestCase("a%2Bb.txt", "a+b.txt")]
    [TestCase("caf%C3%A9.jsonl", "café.jsonl")]
    [TestCase("%E6%97%A5%E6%9C%AC/%F0%9F%98%80.json", "日本/😀.json")]
    [TestCase("year%3D2024/month%3D05/x.jsonl", "year=2024/month=05/x.jsonl")]
    [TestCase("lower%c3%a9", "loweré")]
    [TestCase("100%", "100%")]
    [TestCase("bad%G1escape", "bad%G1escape")]
    [TestCase("trailing%4", "trailing%4")]
    [TestCase("", "")]
    public void Decodes_form_url_encoded_keys(string raw, string expected) =>
        S3KeyDecoder.Decode(raw).Should().Be(expected);

    [Test]
    public void Null_decodes_to_empty() => S3KeyDecoder.Decode(null).Should().BeEmpty();

    [Test]
    public void Unescaped_non_ascii_passes_through() => S3KeyDecoder.Decode("é+ü").Should().Be("é ü");
}
