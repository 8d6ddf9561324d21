using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pipelines.Shared.Aws;

/// <summary>Turns an AWS JSON-protocol error response into an <see cref="AwsServiceException"/>.</summary>
internal static class AwsErrorDecoder
{
    public static AwsServiceException Decode(string operation, int statusCode, HttpResponseHeaders headers, ReadOnlySpan<byte> body)
    {
        string? type = null;
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        switch (name)
                        {
                            case "__type":
                            case "code":
                            case "Code":
                                type ??= reader.GetString();
                                break;
                            case "message":
                            case "Message":
                            case "errorMessage":
                                message ??= reader.GetString();
                                break;
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, a truncated body): fall back to the status and the raw text below.
        }

        if (type is null && headers.TryGetValues("x-amzn-ErrorType", out var errorTypes))
        {
            type = errorTypes.FirstOrDefault();
        }

        var code = ErrorCodeOf(type) ?? $"Http{statusCode}";
        message ??= body.Length == 0 ? "(empty response body)" : Truncate(Encoding.UTF8.GetString(body), 300);
        var requestId = headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
        return new AwsServiceException(code, statusCode, $"{operation} failed with {code} (HTTP {statusCode}): {message}", requestId, operation)
        {
            ServiceMessage = message,
        };
    }

    /// <summary><c>com.amazonaws.kinesis.v20131202#ResourceNotFoundException</c> -> <c>ResourceNotFoundException</c>; drops a <c>:detail</c> suffix.</summary>
    public static string? ErrorCodeOf(string? type)
    {
        if (string.IsNullOrWhiteSpace(type))
        {
            return null;
        }

        var code = type;
        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }

        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        code = code.Trim();
        return code.Length == 0 ? null : code;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "...";
}
