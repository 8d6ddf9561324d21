using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipelines.Events.Archiving;
using Pipelines.Shared.Aws.DynamoDb;

namespace Pipelines.Events.Aws;

/// <summary>
/// Claims as DynamoDB PartiQL, one <c>INSERT INTO "table" VALUE {'event_uuid': ?, 'claimed_by': ?, 'expires_at': ?}</c>
/// per claim, up to 25 in one BatchExecuteStatement call. An INSERT only succeeds when no item has the key (else
/// DuplicateItem), which makes each statement a compare-and-set; ALL_OLD asks DynamoDB to return the holding item
/// with the refusal, which it may or may not do for an INSERT.
/// </summary>
internal sealed class ClaimStatements
{
    /// <summary>BatchExecuteStatement's limit on statements per call.</summary>
    public const int MaxPerCall = 25;

    private readonly JsonEncodedText _statement;

    /// <param name="table">A DynamoDB table name: 3-255 of [A-Za-z0-9_.-], so it can be double-quoted as is.</param>
    public ClaimStatements(string table)
    {
        if (!IsTableName(table))
            throw new ArgumentException($"'{table}' is not a DynamoDB table name (3-255 characters of A-Z, a-z, 0-9, '_', '.', '-').", nameof(table));
        Text = $"INSERT INTO \"{table}\" VALUE {{'{DynamoAttributes.Key}': ?, '{DynamoAttributes.ClaimedBy}': ?, '{DynamoAttributes.ExpiresAt}': ?}}";
        // Relaxed escaping keeps the quotes readable on the wire (\" rather than \u0022); the text is ours and never goes into HTML.
        _statement = JsonEncodedText.Encode(Text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
    }

    /// <summary>The statement every claim sends, with the table name in it.</summary>
    public string Text { get; }

    public static bool IsTableName(string? name)
    {
        if (name is not { Length: >= 3 and <= 255 }) return false;
        foreach (var c in name)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-')) return false;
        return true;
    }

    /// <summary>
    /// <c>{"Statements":[{"Statement":..,"Parameters":[{"S":uuid},{"S":"shard:seq"},{"N":expires}],
    /// "ReturnValuesOnConditionCheckFailure":"ALL_OLD"},..]}</c> for <paramref name="attempts"/>[<paramref name="indexes"/>].
    /// </summary>
    public DynamoJsonBody Write(IReadOnlyList<ClaimAttempt> attempts, IReadOnlyList<int> indexes, long expiresAtEpochSeconds)
    {
        Span<byte> expires = stackalloc byte[20];
        Utf8Formatter.TryFormat(expiresAtEpochSeconds, expires, out var expiresLength);
        expires = expires[..expiresLength];

        var writer = DynamoJsonBody.Start(out var output);
        writer.WriteStartObject();
        writer.WriteStartArray("Statements"u8);
        foreach (var i in indexes)
        {
            var attempt = attempts[i];
            writer.WriteStartObject();
            writer.WriteString("Statement"u8, _statement);
            writer.WriteStartArray("Parameters"u8);
            WriteValue(writer, "S"u8, attempt.UuidKey);
            writer.WriteStartObject();
            DynamoAttributes.WriteRecordIdValue(writer, attempt.Claimant);
            writer.WriteEndObject();
            writer.WriteStartObject();
            writer.WriteString("N"u8, expires);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteString("ReturnValuesOnConditionCheckFailure"u8, "ALL_OLD"u8);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        return DynamoJsonBody.Complete(writer, output);
    }

    private static void WriteValue(Utf8JsonWriter writer, ReadOnlySpan<byte> type, string value)
    {
        writer.WriteStartObject();
        writer.WriteString(type, value);
        writer.WriteEndObject();
    }
}
