namespace Pipelines.Events.Domain;

/// <summary>Why a record can never be archived: a stable <see cref="Code"/> for counting plus a human detail.</summary>
internal sealed record RejectReason(string Code, string Detail)
{
    public const string InvalidBase64 = "invalid_base64";
    public const string Oversize = "oversize";
    public const string InvalidUtf8 = "invalid_utf8";
    public const string NotJson = "not_json";
    public const string NotAnObject = "not_an_object";
    public const string MissingField = "missing_field";
    public const string EmptyField = "empty_field";
    public const string WrongType = "wrong_type";
    public const string InvalidUuid = "invalid_uuid";
    public const string InvalidEventName = "invalid_event_name";
    public const string InvalidCreatedAt = "invalid_created_at";

    public override string ToString() => $"{Code}: {Detail}";
}
