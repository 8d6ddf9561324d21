using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.LocalCloud.DynamoDbPartiQL;

/// <summary>
/// DynamoDB's <c>BatchExecuteStatement</c> for write batches of PartiQL INSERTs, over an emulator without PartiQL
/// (dynalite): each statement becomes a PutItem conditioned on its key being absent. As in DynamoDB, the call
/// succeeds as a whole and each statement gets its own answer, in request order: <c>{"TableName":..}</c>, or
/// <c>{"Error":{"Code":..,"Message":..},"TableName":..}</c>, with DuplicateItem when the item exists. DynamoDB does
/// not document whether a DuplicateItem answer carries the item when ReturnValuesOnConditionCheckFailure is ALL_OLD,
/// so this one never does: clients must cope without it.
/// </summary>
public sealed class BatchExecuteStatementEmulator
{
    /// <summary>DynamoDB's limit on statements per call.</summary>
    public const int MaxStatements = 25;

    private const string ErrorPrefix = "com.amazonaws.dynamodb.v20120810#";

    private readonly Func<string, JsonObject, CancellationToken, Task<BackendAnswer>> _send;
    private readonly ConcurrentDictionary<string, string> _hashKeys = new(StringComparer.Ordinal);

    /// <param name="send">Sends one DynamoDB request to the backend: the operation (e.g. PutItem) and its JSON body.</param>
    public BatchExecuteStatementEmulator(Func<string, JsonObject, CancellationToken, Task<BackendAnswer>> send) =>
        _send = send ?? throw new ArgumentNullException(nameof(send));

    /// <summary>A backend answer: HTTP status and JSON body (an error body has <c>__type</c> and <c>message</c>).</summary>
    public readonly record struct BackendAnswer(int Status, JsonObject Body);

    /// <summary>The call's answer: 200 with <c>Responses</c>, or 400 with a ValidationException for a malformed request.</summary>
    public async Task<BackendAnswer> ExecuteAsync(byte[] requestBody, CancellationToken ct)
    {
        JsonArray? statements;
        try
        {
            statements = JsonNode.Parse(requestBody)?["Statements"] as JsonArray;
        }
        catch (JsonException e)
        {
            return Invalid($"The request body is not JSON: {e.Message}");
        }
        if (statements is null || statements.Count is 0 or > MaxStatements)
            return Invalid($"1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length between 1 and {MaxStatements}");

        var responses = new JsonArray();
        foreach (var statement in statements)
            responses.Add(await ExecuteOneAsync(statement as JsonObject, ct));
        return new BackendAnswer(200, new JsonObject { ["Responses"] = responses });
    }

    /// <summary>The tables a request's statements name (fault injection matches on them); unreadable statements are skipped.</summary>
    public static IEnumerable<string> TablesOf(byte[] requestBody)
    {
        JsonArray? statements;
        try
        {
            statements = JsonNode.Parse(requestBody)?["Statements"] as JsonArray;
        }
        catch (JsonException)
        {
            yield break;
        }
        foreach (var s in statements ?? [])
        {
            string? table = null;
            try
            {
                if (s?["Statement"]?.GetValue<string>() is { } text) table = PartiQLInsert.Parse(text, s["Parameters"] as JsonArray).Table;
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                // not an INSERT: names no table we could fail
            }
            if (table is not null) yield return table;
        }
    }

    private async Task<JsonObject> ExecuteOneAsync(JsonObject? request, CancellationToken ct)
    {
        PartiQLInsert insert;
        try
        {
            var text = request?["Statement"]?.GetValue<string>() ?? throw new FormatException("The statement has no Statement text.");
            insert = PartiQLInsert.Parse(text, request["Parameters"] as JsonArray);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return Error("ValidationError", e.Message, table: null);
        }

        var hashKey = await HashKeyAsync(insert.Table, ct);
        if (hashKey.Error is { } describeError) return describeError;
        if (!insert.Item.ContainsKey(hashKey.Name!))
            return Error("ValidationError", $"One or more parameter values were invalid: Missing the key {hashKey.Name} in the item", insert.Table);

        var put = new JsonObject
        {
            ["TableName"] = insert.Table,
            ["Item"] = insert.Item,
            ["ConditionExpression"] = "attribute_not_exists(#key)",
            ["ExpressionAttributeNames"] = new JsonObject { ["#key"] = hashKey.Name }
        };
        var answer = await _send("PutItem", put, ct);
        if (answer.Status / 100 == 2) return new JsonObject { ["TableName"] = insert.Table };
        var (type, message) = ErrorOf(answer);
        return type == "ConditionalCheckFailedException"
            ? Error("DuplicateItem", "Duplicate primary key exists in table", insert.Table)
            : Error(StatementCode(type, answer.Status), message, insert.Table);
    }

    /// <summary>The table's hash key attribute (DescribeTable, cached), or the statement's error when the table can't be described.</summary>
    private async Task<(string? Name, JsonObject? Error)> HashKeyAsync(string table, CancellationToken ct)
    {
        if (_hashKeys.TryGetValue(table, out var known)) return (known, null);
        var answer = await _send("DescribeTable", new JsonObject { ["TableName"] = table }, ct);
        if (answer.Status / 100 != 2)
        {
            var (type, message) = ErrorOf(answer);
            return (null, Error(StatementCode(type, answer.Status), message, table));
        }
        var hash = (answer.Body["Table"]?["KeySchema"] as JsonArray)?
            .FirstOrDefault(k => k?["KeyType"]?.GetValue<string>() == "HASH")?["AttributeName"]?.GetValue<string>();
        if (hash is null) return (null, Error("InternalServerError", $"DescribeTable of {table} named no hash key.", table));
        return (_hashKeys[table] = hash, null);
    }

    /// <summary>A backend error's exception name (without the namespace) and message.</summary>
    private static (string Type, string Message) ErrorOf(BackendAnswer answer)
    {
        var type = answer.Body["__type"]?.GetValue<string>() ?? "InternalServerError";
        var hash = type.LastIndexOf('#');
        var message = answer.Body["message"]?.GetValue<string>() ?? answer.Body["Message"]?.GetValue<string>() ?? $"HTTP {answer.Status}";
        return (hash >= 0 ? type[(hash + 1)..] : type, message);
    }

    /// <summary>The BatchStatementError code DynamoDB reports for what a single-item call would have thrown.</summary>
    private static string StatementCode(string exceptionType, int status) => exceptionType switch
    {
        "ValidationException" => "ValidationError",
        "ResourceNotFoundException" => "ResourceNotFound",
        "ProvisionedThroughputExceededException" => "ProvisionedThroughputExceeded",
        "ThrottlingException" => "ThrottlingError",
        "RequestLimitExceeded" => "RequestLimitExceeded",
        "TransactionConflictException" => "TransactionConflict",
        "ItemCollectionSizeLimitExceededException" => "ItemCollectionSizeLimitExceeded",
        "AccessDeniedException" => "AccessDenied",
        _ when status / 100 == 4 => "ValidationError",
        _ => "InternalServerError",
    };

    private static JsonObject Error(string code, string message, string? table)
    {
        var response = new JsonObject { ["Error"] = new JsonObject { ["Code"] = code, ["Message"] = message } };
        if (table is not null) response["TableName"] = table;
        return response;
    }

    private static BackendAnswer Invalid(string message) =>
        new(400, new JsonObject { ["__type"] = ErrorPrefix + "ValidationException", ["message"] = message });
}
