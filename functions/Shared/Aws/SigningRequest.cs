namespace Pipelines.Shared.Aws;

/// <summary>
/// The parts of an HTTP request SigV4 covers. <see cref="Path"/> and <see cref="Query"/> are as they appear on the
/// request line (query without '?'); every header listed is signed.
/// </summary>
public sealed record SigningRequest(
    string Method,
    string Path,
    string? Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string PayloadHash);

/// <summary>Every intermediate SigV4 value, so tests can compare each one with AWS's published vectors.</summary>
public sealed record SigningResult(
    string CanonicalRequest,
    string StringToSign,
    string SignedHeaders,
    string Signature,
    string Authorization);
