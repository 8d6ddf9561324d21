using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;

namespace Pipelines.Cli.LocalRun;

/// <summary>Reads what the pipelines left behind: object keys and lines in buckets, items in tables.</summary>
internal sealed class EndState(IAmazonS3 s3, IAmazonDynamoDB dynamoDb)
{
    public IAmazonDynamoDB DynamoDb => dynamoDb;

    public async Task<List<string>> KeysAsync(string bucket, string prefix, CancellationToken ct)
    {
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token }, ct);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return keys;
    }

    /// <summary>Non-empty lines of every object under the prefix, with the key each came from.</summary>
    public async Task<List<(string Key, string Line)>> LinesAsync(string bucket, string prefix, CancellationToken ct)
    {
        var lines = new List<(string, string)>();
        foreach (var key in await KeysAsync(bucket, prefix, ct))
        {
            using var got = await s3.GetObjectAsync(bucket, key, ct);
            using var reader = new StreamReader(got.ResponseStream, Encoding.UTF8);
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length > 0) lines.Add((key, line));
            }
        }
        return lines;
    }

    public async Task<List<Dictionary<string, AttributeValue>>> ScanAsync(string table, CancellationToken ct)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await dynamoDb.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start }, ct);
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return items;
    }
}
