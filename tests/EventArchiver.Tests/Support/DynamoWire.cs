using Pipelines.Events.Aws;
using Pipelines.Events.Domain;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>
/// A <see cref="DynamoDbClaimStore"/> whose signed JSON calls go to a <see cref="ScriptedDynamoDb"/>, with the waits
/// between its resend rounds recorded instead of slept; plus the names the wire tests fill into DynamoDB's JSON.
/// </summary>
internal sealed class DynamoWire : IDisposable
{
    public const string Table = "event-archiver-dedup";
    public const long ExpiresAt = 1_900_000_000;

    /// <summary>The claim statement as DynamoDB receives it, JSON-escaped.</summary>
    public const string StatementJson = """INSERT INTO \"event-archiver-dedup\" VALUE {'event_uuid': ?, 'claimed_by': ?, 'expires_at': ?}""";

    public static readonly RecordId Winner = new("shardId-000000000001", "49590338271490256608559692538361571095921575989136588898");
    public static readonly RecordId Duplicate = new("shardId-000000000002", "49590338271490256608559692540925702759324208523137515618");

    private readonly HttpClient _http;
    private readonly NoDuplicatePlansDynamoDb _sdk;

    public DynamoWire()
    {
        Dynamo = new ScriptedDynamoDb();
        _http = new HttpClient(Dynamo);
        var credentials = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        var options = AwsClientOptions.Create(AwsService.DynamoDb, new Uri("https://dynamodb.us-east-1.amazonaws.com/"), "us-east-1", credentials);
        _sdk = new NoDuplicatePlansDynamoDb();
        Json = new AwsJsonClient(options, DynamoDbClaimStore.TargetPrefix, "1.0", _http);
        Store = new DynamoDbClaimStore(Json, _sdk, Table, (wait, _) =>
        {
            lock (Delays) Delays.Add(wait);
            return Task.CompletedTask;
        });
    }

    public ScriptedDynamoDb Dynamo { get; }

    public AwsJsonClient Json { get; }

    public DynamoDbClaimStore Store { get; }

    /// <summary>The SDK client of the duplicate lookup.</summary>
    public NoDuplicatePlansDynamoDb Sdk => _sdk;

    public List<TimeSpan> Delays { get; } = [];

    /// <summary>The calls of one operation, in order.</summary>
    public List<string> Bodies(string operation) => [.. Dynamo.Calls.Where(c => c.Operation == operation).Select(c => c.Body)];

    /// <summary>One claim statement as the store writes it.</summary>
    public static string StatementOf(string uuid, RecordId claimant) =>
        "{\"Statement\":\"" + StatementJson + "\",\"Parameters\":[{\"S\":\"" + uuid + "\"},{\"S\":\"" + claimant + "\"},{\"N\":\"1900000000\"}]," +
        "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}";

    /// <summary>A BatchExecuteStatement body of these statements.</summary>
    public static string StatementsBody(params string[] statements) => "{\"Statements\":[" + string.Join(',', statements) + "]}";

    /// <summary>A statement error answer as DynamoDB writes one: <c>{"Error":{"Code":..,"Message":..},"TableName":..}</c>.</summary>
    public static string ErrorResponse(string code, string message, string? item = null) =>
        "{\"Error\":{\"Code\":\"" + code + "\",\"Message\":\"" + message + "\"" + (item is null ? "" : ",\"Item\":" + item) + "},\"TableName\":\"" + Table + "\"}";

    public const string Succeeded = "{\"TableName\":\"" + Table + "\"}";

    public static string Responses(params string[] responses) => "{\"Responses\":[" + string.Join(',', responses) + "]}";

    /// <summary>A claim item in DynamoDB JSON.</summary>
    public static string Item(string uuid, RecordId holder, string? objectKey = null) =>
        "{\"event_uuid\":{\"S\":\"" + uuid + "\"},\"claimed_by\":{\"S\":\"" + holder + "\"}" +
        (objectKey is null ? "" : ",\"object_key\":{\"S\":\"" + objectKey + "\"}") + ",\"expires_at\":{\"N\":\"1899990000\"}}";

    public void Dispose()
    {
        _http.Dispose();
        Dynamo.Dispose();
        _sdk.Dispose();
    }
}
