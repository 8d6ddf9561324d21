using NUnit.Framework;
using FluentAssertions;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.Shared.Aws;

[TestFixture]
public sealed class SigV4SignerTests
{
    private static readonly AwsCredentials SuiteCredentials = new(SigV4TestSuiteVectors.AccessKeyId, SigV4TestSuiteVectors.SecretAccessKey);

    private static IEnumerable<TestCaseData> Vectors() =>
        SigV4TestSuiteVectors.All().Select(v => new TestCaseData(v).SetArgDisplayNames(v.Name));

    [TestCaseSource(nameof(Vectors))]
    public void Matches_the_published_canonical_request_string_to_sign_and_authorization(object vectorObject)
    {
        var vector = (SigV4Vector)vectorObject;
        var request = ParseRequest(vector.Request);

        var result = SigV4Signer.Sign(request, SuiteCredentials, SigV4TestSuiteVectors.Region, SigV4TestSuiteVectors.Service, SigV4TestSuiteVectors.Timestamp);

        result.CanonicalRequest.Should().Be(vector.CanonicalRequest);
        result.StringToSign.Should().Be(vector.StringToSign);
        result.Authorization.Should().Be(vector.Authorization);
    }

    [Test]
    public void Signing_an_http_request_reproduces_post_vanilla()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");
        var vector = SigV4TestSuiteVectors.All().Single(v => v.Name == "post-vanilla");

        SigV4Signer.SignHttpRequest(request, [], SuiteCredentials, "us-east-1", "service", SigV4TestSuiteVectors.Timestamp);

        request.Headers.GetValues("Authorization").Should().ContainSingle().Which.Should().Be(vector.Authorization);
        request.Headers.GetValues("X-Amz-Date").Should().ContainSingle().Which.Should().Be("20150830T123600Z");
        request.Headers.Contains("X-Amz-Security-Token").Should().BeFalse();
    }

    [Test]
    public void A_session_token_is_sent_as_x_amz_security_token_and_signed_like_post_sts_header_before()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");
        var vector = SigV4TestSuiteVectors.All().Single(v => v.Name == "post-sts-token/post-sts-header-before");
        var credentials = SuiteCredentials with { SessionToken = SigV4TestSuiteVectors.SessionToken };

        var result = SigV4Signer.SignHttpRequest(request, [], credentials, "us-east-1", "service", SigV4TestSuiteVectors.Timestamp);

        request.Headers.GetValues("X-Amz-Security-Token").Should().ContainSingle().Which.Should().Be(SigV4TestSuiteVectors.SessionToken);
        result.CanonicalRequest.Should().Be(vector.CanonicalRequest);
        request.Headers.GetValues("Authorization").Should().ContainSingle().Which.Should().Be(vector.Authorization);
    }

    [Test]
    public void Signing_the_same_request_twice_replaces_the_previous_signature()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");
        SigV4Signer.SignHttpRequest(request, [], SuiteCredentials, "us-east-1", "service", SigV4TestSuiteVectors.Timestamp.AddHours(1));

        SigV4Signer.SignHttpRequest(request, [], SuiteCredentials, "us-east-1", "service", SigV4TestSuiteVectors.Timestamp);

        request.Headers.GetValues("Authorization").Should().ContainSingle()
            .Which.Should().EndWith("Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
    }

    [Test]
    public void Json_protocol_headers_and_payload_are_covered_by_the_signature()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:4567/");
        request.Content = new ByteArrayContent("{}"u8.ToArray());
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "Kinesis_20131202.ListShards");
        request.Headers.UserAgent.ParseAdd("test/1.0");

        var result = SigV4Signer.SignHttpRequest(request, "{}"u8, SuiteCredentials, "us-east-1", "kinesis", SigV4TestSuiteVectors.Timestamp);

        result.SignedHeaders.Should().Be("content-type;host;x-amz-date;x-amz-target");
        result.CanonicalRequest.Should().Contain("host:127.0.0.1:4567\n");
        result.CanonicalRequest.Should().EndWith("\n" + SigV4Signer.HashHex("{}"u8));
        result.Authorization.Should().Contain("Credential=AKIDEXAMPLE/20150830/us-east-1/kinesis/aws4_request");
    }

    [TestCase("/example space/", "/example%20space/")]
    [TestCase("/ሴ", "/%E1%88%B4")]
    [TestCase("//example//", "/example/")]
    [TestCase("/example/..", "/")]
    [TestCase("/./example", "/example")]
    [TestCase("/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")]
    public void Paths_are_normalised_and_encoded_like_the_normalize_path_cases(string path, string expected) =>
        SigV4Signer.CanonicalUri(path).Should().Be(expected);

    [TestCase("ሴ=bar", "%E1%88%B4=bar")]
    [TestCase("Param1", "Param1=")]
    [TestCase("b=2&a=1&a=0", "a=0&a=1&b=2")]
    [TestCase("k=a%20b%2Fc", "k=a%20b%2Fc")]
    public void Query_strings_are_decoded_re_encoded_and_sorted(string query, string expected) =>
        SigV4Signer.CanonicalQuery(query).Should().Be(expected);

    // Parses a .req file: request line, then "Name:value" header lines, then an optional blank line and body.
    private static SigningRequest ParseRequest(string raw)
    {
        var lines = raw.Split('\n');
        var requestLine = lines[0].Split(' ');
        var target = requestLine[1];
        var queryStart = target.IndexOf('?', StringComparison.Ordinal);
        var headers = new List<KeyValuePair<string, string>>();
        var bodyStart = lines.Length;
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                bodyStart = i + 1;
                break;
            }

            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(lines[i][..colon], lines[i][(colon + 1)..]));
        }

        var body = string.Join('\n', lines.Skip(bodyStart));
        return new SigningRequest(
            requestLine[0],
            queryStart < 0 ? target : target[..queryStart],
            queryStart < 0 ? null : target[(queryStart + 1)..],
            headers,
            SigV4Signer.HashHex(System.Text.Encoding.UTF8.GetBytes(body)));
    }
}
