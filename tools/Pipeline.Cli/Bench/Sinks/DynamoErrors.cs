using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>The errors the in-memory DynamoDB raises, as the SDK would surface DynamoDB's own.</summary>
internal static class DynamoErrors
{
    public static AmazonDynamoDBException Validation(string message) =>
        new(message) { ErrorCode = "ValidationException" };

    public static ResourceNotFoundException TableNotFound(string table) =>
        new($"Requested resource not found: Table: {table} not found");

    public static AmazonDynamoDBException MissingKey(string table, string attribute) =>
        Validation($"One of the required keys was not given a value ({table}.{attribute})");
}
