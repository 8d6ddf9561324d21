namespace Pipelines.Events.Domain;

/// <summary>Either a valid event or the reason the payload was rejected.</summary>
internal readonly struct ParseResult
{
    private ParseResult(ParsedEvent? value, RejectReason? reason)
    {
        Event = value;
        Reason = reason;
    }

    public ParsedEvent? Event { get; }

    public RejectReason? Reason { get; }

    public bool IsValid => Event is not null;

    public static ParseResult Valid(ParsedEvent value) => new(value, null);

    public static ParseResult Reject(string code, string detail) => new(null, new RejectReason(code, detail));
}
