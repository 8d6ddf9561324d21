using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Pipelines.Shared.Aws;

/// <summary>
/// SigV4 for the AWS JSON protocol's one request shape (<c>POST /</c>, signing content-type, host, x-amz-date,
/// x-amz-security-token when present, and x-amz-target), computed in UTF-8 buffers. A per-record conditional write
/// (event-archiver's claims) is signed once per record, and the general <see cref="SigV4Signer"/> path built ~6 KB of
/// strings each time; this gives the same signature (tested against it) for a few hundred bytes.
/// </summary>
internal sealed class JsonPostSigner(Uri endpoint, string contentType)
{
    private const string SignedHeaders = "content-type;host;x-amz-date;x-amz-target";
    private const string SignedHeadersWithToken = "content-type;host;x-amz-date;x-amz-security-token;x-amz-target";

    // One hash and one HMAC context per thread, reset after each use: the one-shot calls set up and free a native
    // context every time, which made the HMAC cost twice the hashing and signing a third of a small call. Sign never
    // awaits, so a thread's contexts are never shared.
    [ThreadStatic] private static IncrementalHash? t_sha256;
    [ThreadStatic] private static IncrementalHash? t_hmac;
    [ThreadStatic] private static byte[]? t_hmacKey;

    private readonly string _host = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}";
    private readonly byte[] _contentType = Encoding.UTF8.GetBytes(contentType);
    private Stamp? _stamp;

    /// <summary>The general signer handles anything else (a path or query on the endpoint).</summary>
    public static bool Handles(Uri endpoint) => endpoint.AbsolutePath == "/" && endpoint.Query.Length == 0;

    /// <summary>Sets Host, X-Amz-Date, X-Amz-Security-Token (when the credentials have one) and Authorization.</summary>
    public void Sign(HttpRequestMessage request, string target, ReadOnlySpan<byte> payload,
        AwsCredentials credentials, string region, string service, DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        var stamp = StampFor(utc, credentials, region, service);

        // The canonical request, then its hash, the string to sign and the signature, all in UTF-8 without strings.
        var token = credentials.SessionToken;
        var length = 320 + _contentType.Length + _host.Length * 3 + target.Length * 3 + (token?.Length ?? 0) * 3;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var canonical = new Utf8Builder(rented);
            canonical.Append("POST\n/\n\ncontent-type:"u8);
            canonical.Append(_contentType);
            canonical.Append("\nhost:"u8);
            canonical.Append(_host);
            canonical.Append("\nx-amz-date:"u8);
            canonical.Append(stamp.AmzDateUtf8);
            if (token is not null)
            {
                canonical.Append("\nx-amz-security-token:"u8);
                canonical.Append(token);
            }
            canonical.Append("\nx-amz-target:"u8);
            canonical.Append(target);
            canonical.Append("\n\n"u8);
            canonical.Append(token is null ? SignedHeaders : SignedHeadersWithToken);
            canonical.Append("\n"u8);
            Span<byte> hash = stackalloc byte[32];
            var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha256.AppendData(payload);
            sha256.GetHashAndReset(hash);
            canonical.AppendHex(hash);

            sha256.AppendData(canonical.Written);
            sha256.GetHashAndReset(hash);
            Span<byte> stringToSign = stackalloc byte[stamp.StringToSignPrefix.Length + 64];
            stamp.StringToSignPrefix.CopyTo(stringToSign);
            Hex.Write(hash, stringToSign[stamp.StringToSignPrefix.Length..]);
            Span<byte> signature = stackalloc byte[32];
            var hmac = HmacFor(stamp.Key);
            hmac.AppendData(stringToSign);
            hmac.GetHashAndReset(signature);
            Span<char> signatureHex = stackalloc char[64];
            Hex.Write(signature, signatureHex);

            request.Headers.Host = _host;
            request.Headers.TryAddWithoutValidation("X-Amz-Date", stamp.AmzDate);
            if (token is not null) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
            request.Headers.TryAddWithoutValidation("Authorization", string.Concat(stamp.AuthorizationPrefix, signatureHex));
        }
        catch
        {
            // A context left holding half a message would corrupt every later signature on this thread.
            DropThreadContexts();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void DropThreadContexts()
    {
        t_sha256?.Dispose();
        t_sha256 = null;
        t_hmac?.Dispose();
        t_hmac = null;
        t_hmacKey = null;
    }

    /// <summary>This thread's HMAC-SHA256 context for <paramref name="key"/> (the derived key changes daily or with the credentials).</summary>
    private static IncrementalHash HmacFor(byte[] key)
    {
        if (t_hmac is { } hmac && ReferenceEquals(t_hmacKey, key)) return hmac;
        t_hmac?.Dispose();
        t_hmacKey = key;
        return t_hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
    }

    /// <summary>What stays the same within a second for one identity: the date texts, scope, derived key and header prefix.</summary>
    private Stamp StampFor(DateTime utc, AwsCredentials credentials, string region, string service)
    {
        var second = utc.Ticks / TimeSpan.TicksPerSecond;
        var stamp = _stamp;
        if (stamp is not null && stamp.Second == second && ReferenceEquals(stamp.Credentials, credentials)
            && stamp.Region == region && stamp.Service == service)
        {
            return stamp;
        }
        var amzDate = utc.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var signedHeaders = credentials.SessionToken is null ? SignedHeaders : SignedHeadersWithToken;
        stamp = new Stamp(
            second, credentials, region, service, amzDate, Encoding.UTF8.GetBytes(amzDate),
            Encoding.UTF8.GetBytes($"{SigV4Signer.Algorithm}\n{amzDate}\n{scope}\n"),
            SigV4Signer.SigningKey(credentials.SecretAccessKey, date, region, service),
            $"{SigV4Signer.Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature=");
        _stamp = stamp; // replaced whole: concurrent signers see one stamp or the other, never a mix
        return stamp;
    }

    private sealed record Stamp(
        long Second, AwsCredentials Credentials, string Region, string Service, string AmzDate, byte[] AmzDateUtf8,
        byte[] StringToSignPrefix, byte[] Key, string AuthorizationPrefix);

    /// <summary>Appends UTF-8 into a buffer sized by the caller.</summary>
    private ref struct Utf8Builder(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;
        private int _length;

        public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

        public void Append(scoped ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer[_length..]);
            _length += bytes.Length;
        }

        public void Append(string text) => _length += Encoding.UTF8.GetBytes(text, _buffer[_length..]);

        public void AppendHex(scoped ReadOnlySpan<byte> bytes)
        {
            Hex.Write(bytes, _buffer[_length..]);
            _length += bytes.Length * 2;
        }
    }

    /// <summary>Lower-case hex, as SigV4 writes hashes and signatures.</summary>
    private static class Hex
    {
        private const string Digits = "0123456789abcdef";

        public static void Write(ReadOnlySpan<byte> bytes, Span<byte> destination)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                destination[2 * i] = (byte)Digits[bytes[i] >> 4];
                destination[2 * i + 1] = (byte)Digits[bytes[i] & 0xF];
            }
        }

        public static void Write(ReadOnlySpan<byte> bytes, Span<char> destination)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                destination[2 * i] = Digits[bytes[i] >> 4];
                destination[2 * i + 1] = Digits[bytes[i] & 0xF];
            }
        }
    }
}
