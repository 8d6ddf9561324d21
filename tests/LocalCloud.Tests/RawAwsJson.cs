using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipelines.Tests.LocalCloud;

/// <summary>
/// Unsigned AWS JSON-protocol calls for tests (the emulators check that credentials are present, not the signature).
/// </summary>
internal static class RawAwsJson
{
    private static readonly HttpClient Http = new();

    public static async Task<JsonObject> CallAsync(Uri endpoint, string target, string contentType, JsonObject body, string service)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=S3RVER/{DateTime.UtcNow:yyyyMMdd}/us-east-1/{service}/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0000");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{target} failed with {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    public static Task<JsonObject> KinesisAsync(Uri endpoint, string operation, JsonObject body) =>
        CallAsync(endpoint, "Kinesis_20131202." + operation, "application/x-amz-json-1.1", body, "kinesis");

    public static Task<JsonObject> DynamoDbAsync(Uri endpoint, string operation, JsonObject body) =>
        CallAsync(endpoint, "DynamoDB_20120810." + operation, "application/x-amz-json-1.0", body, "dynamodb");

    public static Task<JsonObject> SqsAsync(Uri endpoint, string operation, JsonObject body) =>
        CallAsync(endpoint, "AmazonSQS." + operation, "application/x-amz-json-1.0", body, "sqs");

    public static Task<JsonObject> SsmAsync(Uri endpoint, string operation, JsonObject body) =>
        CallAsync(endpoint, "AmazonSSM." + operation, "application/x-amz-json-1.1", body, "ssm");
}
