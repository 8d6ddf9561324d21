using System.Text;
using Microsoft.AspNetCore.Http;

namespace Pipelines.LocalCloud.Http;

/// <summary>Writes AWS JSON-protocol answers: a body, or an error with <c>__type</c> and <c>message</c>.</summary>
public static class AwsJsonResponses
{
    public const string ContentType = "application/x-amz-json-1.1";

    public static async Task WriteAsync(HttpContext ctx, string json, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = ContentType;
        ctx.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var bytes = Encoding.UTF8.GetBytes(json);
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext ctx, string type, string message, int status = 400) =>
        WriteAsync(ctx, new System.Text.Json.Nodes.JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString(), status);

    /// <summary>The operation from <c>X-Amz-Target: Service.Operation</c>.</summary>
    public static string Operation(HttpRequest request)
    {
        var target = request.Headers["X-Amz-Target"].ToString();
        var dot = target.LastIndexOf('.');
        return dot >= 0 ? target[(dot + 1)..] : target;
    }
}
