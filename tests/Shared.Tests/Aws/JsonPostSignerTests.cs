using System.Net.Http.Headers;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.Shared.Aws;

/// <summary>The JSON-protocol fast path must sign exactly as the general signer (itself checked against AWS's test suite).</summary>
[TestFixture]
public sealed class JsonPostSignerTests
{
    private static readonly DateTimeOffset[] Instants =
    [
        new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero),
        new(2026, 11, 21, 23, 59, 59, 999, TimeSpan.Zero),
        new(2026, 11, 22, 0, 0, 0, TimeSpan.FromHours(2)),
    ];

    [TestCase("https://dynamodb.us-east-1.amazonaws.com/", "1.0", "DynamoDB_20120810.UpdateItem", null)]
    [TestCase("http://127.0.0.1:45123", "1.0", "DynamoDB_20120810.BatchWriteItem", "FwoGZXIvYXdzEBYaDH+/token==")]
    [TestCase("https://kinesis.eu-west-1.amazonaws.com", "1.1", "Kinesis_20131202.PutRecords", null)]
    public void Gives_the_general_signers_headers(string endpoint, string jsonVersion, string target, string? token)
    {
        var uri = new Uri(endpoint);
        var credentials = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token);
        var contentType = new MediaTypeHeaderValue("application/x-amz-json-" + jsonVersion);
        var signer = new JsonPostSigner(uri, contentType.ToString());
        var body = """{"TableName":"event-dedup","Key":{"event_uuid":{"S":"é-1"}}}"""u8.ToArray();

        JsonPostSigner.Handles(uri).Should().BeTrue();
        foreach (var instant in Instants)
        {
            using var expected = Request(uri, contentType, target, body);
            using var actual = Request(uri, contentType, target, body);

            SigV4Signer.SignHttpRequest(expected, body, credentials, "us-east-1", "dynamodb", instant);
            signer.Sign(actual, target, body, credentials, "us-east-1", "dynamodb", instant);

            foreach (var name in new[] { "Authorization", "X-Amz-Date", "X-Amz-Security-Token", "Host" })
                Values(actual, name).Should().Equal(Values(expected, name), $"{name} at {instant:O}");
        }
    }

    [TestCase("https://example.com/prefix/")]
    [TestCase("https://example.com/?a=b")]
    public void Leaves_endpoints_with_a_path_or_query_to_the_general_signer(string endpoint) =>
        JsonPostSigner.Handles(new Uri(endpoint)).Should().BeFalse();

    private static HttpRequestMessage Request(Uri uri, MediaTypeHeaderValue contentType, string target, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = contentType;
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        return request;
    }

    private static string[] Values(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? [.. values] : [];
}
