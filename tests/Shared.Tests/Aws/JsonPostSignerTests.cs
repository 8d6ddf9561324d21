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

    [Test]
    public async Task Signs_correctly_call_after_call_as_keys_change_on_several_threads_at_once()
    {
        // The signer reuses a hash and an HMAC context per thread: reused contexts, a new derived key (other secret,
        // other day) and concurrent threads must all still give the general signer's signature.
        var uri = new Uri("https://dynamodb.us-east-1.amazonaws.com/");
        var contentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        var signer = new JsonPostSigner(uri, contentType.ToString());
        AwsCredentials[] identities =
        [
            new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            new("AKIDOTHER", "another-secret-key-for-the-same-signer"),
        ];
        var mismatches = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                var credentials = identities[(i / 7 + worker) % 2];
                var instant = Instants[(i / 5 + worker) % Instants.Length];
                var body = System.Text.Encoding.UTF8.GetBytes($$"""{"n":{{i}},"w":{{worker}}}""");
                using var expected = Request(uri, contentType, "DynamoDB_20120810.BatchWriteItem", body);
                using var actual = Request(uri, contentType, "DynamoDB_20120810.BatchWriteItem", body);
                SigV4Signer.SignHttpRequest(expected, body, credentials, "us-east-1", "dynamodb", instant);
                signer.Sign(actual, "DynamoDB_20120810.BatchWriteItem", body, credentials, "us-east-1", "dynamodb", instant);
                if (!Values(actual, "Authorization").SequenceEqual(Values(expected, "Authorization"))) Interlocked.Increment(ref mismatches);
            }
        })));

        mismatches.Should().Be(0);
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
