namespace Pipelines.Counties.Domain;

/// <summary>
/// The trimmed county a row counts towards, as UTF-8 (it points into the parsed payload, so use it before the payload
/// buffer goes back to its pool), or why the row can never be counted.
/// </summary>
internal readonly ref struct CountyParseResult
{
    private CountyParseResult(ReadOnlySpan<byte> county, string? rejectReason)
    {
        County = county;
        RejectReason = rejectReason;
    }

    /// <summary>The county's UTF-8 bytes, JSON escapes removed and whitespace trimmed; empty when rejected.</summary>
    public ReadOnlySpan<byte> County { get; }

    /// <summary>Null when the row counts.</summary>
    public string? RejectReason { get; }

    public bool IsAccepted => RejectReason is null;

    public static CountyParseResult Accept(ReadOnlySpan<byte> county) => new(county, null);

    public static CountyParseResult Reject(string reason) => new([], reason);
}
