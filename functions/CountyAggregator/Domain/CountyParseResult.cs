namespace Pipelines.Counties.Domain;

/// <summary>The trimmed county a row counts towards, or why the row can never be counted.</summary>
internal readonly record struct CountyParseResult(string? County, string? RejectReason)
{
    public static CountyParseResult Accept(string county) => new(county, null);

    public static CountyParseResult Reject(string reason) => new(null, reason);
}
