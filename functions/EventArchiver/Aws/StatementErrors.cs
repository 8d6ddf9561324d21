using System.Text.Json;
using Pipelines.Shared.Aws;

namespace Pipelines.Events.Aws;

/// <summary>A statement of a BatchExecuteStatement call that failed: its position in the call and DynamoDB's error.</summary>
/// <param name="Item">The item that made the statement fail, when DynamoDB returned it (ALL_OLD).</param>
internal readonly record struct StatementError(int Index, string Code, string? Message, ClaimItem? Item);

/// <summary>
/// Reads a BatchExecuteStatement answer, <c>{"Responses":[{"TableName":..} | {"Error":{"Code":..,"Message":..,
/// "Item":{..}?},"TableName":..}, ..]}</c>, one response per statement in request order. Only the failed statements
/// are returned, so a call where every claim succeeded costs no allocation. Unknown members are skipped.
/// </summary>
internal static class StatementErrors
{
    /// <summary>The failed statements (null when none failed).</summary>
    /// <exception cref="AwsServiceException">The answer does not hold <paramref name="statements"/> responses.</exception>
    public static List<StatementError>? Read(ReadOnlySpan<byte> responseJson, int statements)
    {
        var reader = new Utf8JsonReader(responseJson);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Invalid("is not a JSON object");
        List<StatementError>? errors = null;
        var responses = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isResponses = reader.ValueTextEquals("Responses"u8);
            reader.Read();
            if (!isResponses || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }
            responses = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("holds a response that is not an object");
                if (ReadResponse(ref reader, responses) is { } error) (errors ??= []).Add(error);
                responses++;
            }
        }
        if (responses != statements) throw Invalid(responses < 0 ? "has no Responses" : $"has {responses} responses for {statements} statements");
        return errors;
    }

    /// <summary>On a response's <c>{</c>: reads it to its <c>}</c>; its error, if it has one.</summary>
    private static StatementError? ReadResponse(ref Utf8JsonReader reader, int index)
    {
        StatementError? error = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isError = reader.ValueTextEquals("Error"u8);
            reader.Read();
            if (isError && reader.TokenType == JsonTokenType.StartObject) error = ReadError(ref reader, index);
            else reader.Skip();
        }
        return error;
    }

    private static StatementError ReadError(ref Utf8JsonReader reader, int index)
    {
        string? code = null, message = null;
        ClaimItem? item = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Code"u8))
            {
                reader.Read();
                code = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("Message"u8))
            {
                reader.Read();
                message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("Item"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject) item = ClaimItem.Read(ref reader);
                else reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new StatementError(index, string.IsNullOrEmpty(code) ? "Unknown" : code, message, item);
    }

    private static AwsServiceException Invalid(string what) =>
        new("InvalidResponse", 200, $"DynamoDB's BatchExecuteStatement answer {what}.");
}
