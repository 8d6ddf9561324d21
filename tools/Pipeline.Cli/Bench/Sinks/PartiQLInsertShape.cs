using System.Text.Json;
using Pipelines.LocalCloud.DynamoDbPartiQL;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// The PartiQL the bench's DynamoDB runs: <c>INSERT INTO "table" VALUE {'name': ?, ..}</c> (a bare table name
/// also), every value a <c>?</c> parameter. Anything else is refused, so a benchmark never measures a statement
/// whose effect it did not model. The grammar is the local cloud's (<see cref="PartiQLInsert"/>).
/// </summary>
internal sealed record PartiQLInsertShape(string Table, string[] Attributes)
{
    /// <summary>The attribute names as JSON property names, encoded once: every INSERT's item is written with them.</summary>
    public JsonEncodedText[] EncodedAttributes { get; } = [.. Attributes.Select(a => JsonEncodedText.Encode(a))];

    /// <exception cref="FormatException">Not an INSERT of that shape.</exception>
    public static PartiQLInsertShape Parse(string statement)
    {
        var (table, values) = PartiQLInsert.ParseShape(statement);
        if (values.Any(v => v.Literal is not null))
            throw new FormatException($"The bench's DynamoDB models only ? parameters, not literal values, in: {statement}");
        return new PartiQLInsertShape(table, [.. values.Select(v => v.Name)]);
    }
}
