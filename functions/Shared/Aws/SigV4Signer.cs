using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipelines.Shared.Aws;

/// <summary>AWS Signature Version 4 (header-based) for non-S3 services.</summary>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>SHA-256 of an empty payload, hex.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    // Headers that proxies or the transport may change, so they must not be signed.
    private static readonly HashSet<string> UnsignedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "user-agent", "expect", "connection", "x-amzn-trace-id", "content-length", "transfer-encoding",
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Secret, string Date, string Region, string Service), byte[]> DerivedKeys = new();

    public static SigningResult Sign(
        SigningRequest request, AwsCredentials credentials, string region, string service, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        var utc = timestamp.UtcDateTime;
        var amzDate = utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var scope = $"{date}/{region}/{service}/aws4_request";

        var canonicalRequest = CanonicalRequest(request, out var signedHeaders);
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{HashHex(Encoding.UTF8.GetBytes(canonicalRequest))}";
        var key = SigningKey(credentials.SecretAccessKey, date, region, service);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        var authorization =
            $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new SigningResult(canonicalRequest, stringToSign, signedHeaders, signature, authorization);
    }

    /// <summary>
    /// Signs <paramref name="request"/> in place: sets Host, X-Amz-Date, X-Amz-Security-Token (when the credentials
    /// have a session token) and Authorization, signing Host, Content-Type and every x-amz-* header.
    /// </summary>
    public static SigningResult SignHttpRequest(
        HttpRequestMessage request,
        ReadOnlySpan<byte> payload,
        AwsCredentials credentials,
        string region,
        string service,
        DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The request URI must be absolute.", nameof(request));
        }

        request.Headers.Remove("Authorization");
        request.Headers.Remove("X-Amz-Date");
        request.Headers.Remove("X-Amz-Security-Token");
        request.Headers.Host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        request.Headers.TryAddWithoutValidation(
            "X-Amz-Date", timestamp.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        if (credentials.SessionToken is { } token)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers.NonValidated)
        {
            if (ShouldSign(header.Key))
            {
                foreach (var value in header.Value)
                {
                    headers.Add(new(header.Key, value));
                }
            }
        }

        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers.NonValidated)
            {
                if (ShouldSign(header.Key))
                {
                    foreach (var value in header.Value)
                    {
                        headers.Add(new(header.Key, value));
                    }
                }
            }
        }

        var query = uri.Query.Length > 0 ? uri.Query[1..] : null;
        var signing = new SigningRequest(request.Method.Method, uri.AbsolutePath, query, headers, HashHex(payload));
        var result = Sign(signing, credentials, region, service, timestamp);
        request.Headers.TryAddWithoutValidation("Authorization", result.Authorization);
        return result;
    }

    public static string HashHex(ReadOnlySpan<byte> payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    /// <summary>
    /// The derived key, cached: it changes only with the date, region, service and secret, and deriving it (four
    /// HMACs and their strings) on every call was a visible share of a 25-item BatchWriteItem's cost.
    /// </summary>
    internal static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var cacheKey = (secretAccessKey, date, region, service);
        if (DerivedKeys.TryGetValue(cacheKey, out var key)) return key;
        if (DerivedKeys.Count >= 16) DerivedKeys.Clear(); // a new day or rotated credentials: old entries are dead
        return DerivedKeys[cacheKey] = DeriveSigningKey(secretAccessKey, date, region, service);
    }

    public static byte[] DeriveSigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    public static string CanonicalRequest(SigningRequest request, out string signedHeaders)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (headerBlock, signed) = CanonicalHeaders(request.Headers);
        signedHeaders = signed;
        return string.Join(
            '\n',
            request.Method.ToUpperInvariant(),
            CanonicalUri(request.Path),
            CanonicalQuery(request.Query),
            headerBlock,
            signed,
            request.PayloadHash);
    }

    /// <summary>Normalised path (no empty, '.' or '..' segments) with each segment URI-encoded.</summary>
    public static string CanonicalUri(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(UriEncode(segment));
        }

        if (segments.Count == 0)
        {
            return "/";
        }

        var trailing = path.EndsWith('/') ? "/" : string.Empty;
        return "/" + string.Join('/', segments) + trailing;
    }

    /// <summary>Parameters decoded, re-encoded per RFC 3986 and sorted by name then value.</summary>
    public static string CanonicalQuery(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        var pairs = new List<(string Name, string Value)>();
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? string.Empty : part[(equals + 1)..];
            pairs.Add((UriEncode(Uri.UnescapeDataString(name)), UriEncode(Uri.UnescapeDataString(value))));
        }

        pairs.Sort((a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>RFC 3986 encoding as SigV4 wants it: unreserved characters stay, everything else is %XX of its UTF-8 bytes.</summary>
    public static string UriEncode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static (string Block, string Signed) CanonicalHeaders(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var byName = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var key = name.Trim().ToLowerInvariant();
            if (!byName.TryGetValue(key, out var values))
            {
                values = [];
                byName.Add(key, values);
            }

            values.Add(CollapseSpaces(value));
        }

        var block = new StringBuilder();
        foreach (var (name, values) in byName)
        {
            block.Append(name).Append(':').AppendJoin(',', values).Append('\n');
        }

        return (block.ToString(), string.Join(';', byName.Keys));
    }

    // Trim, and turn runs of whitespace (including folded lines) into a single space.
    private static string CollapseSpaces(string value)
    {
        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value.AsSpan().Trim())
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool ShouldSign(string headerName) =>
        !UnsignedHeaders.Contains(headerName)
        && (headerName.Equals("host", StringComparison.OrdinalIgnoreCase)
            || headerName.Equals("content-type", StringComparison.OrdinalIgnoreCase)
            || headerName.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase));
}
