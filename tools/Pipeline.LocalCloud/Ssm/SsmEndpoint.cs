using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Http;

namespace Pipelines.LocalCloud.Ssm;

/// <summary>
/// The SSM JSON protocol (target AmazonSSM.*) over a <see cref="ParameterStore"/>: GetParametersByPath with paging,
/// GetParameter, GetParameters, PutParameter, DeleteParameter. There is no npm SSM emulator; functions only read tunables.
/// </summary>
public sealed class SsmEndpoint(ParameterStore store)
{
    public ParameterStore Store { get; } = store;

    public async Task HandleAsync(HttpContext ctx)
    {
        JsonObject request;
        try
        {
            request = (await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted)) as JsonObject ?? [];
        }
        catch (JsonException e)
        {
            await AwsJsonResponses.WriteErrorAsync(ctx, "SerializationException", e.Message);
            return;
        }

        var operation = AwsJsonResponses.Operation(ctx.Request);
        try
        {
            var response = operation switch
            {
                "GetParametersByPath" => GetParametersByPath(request),
                "GetParameter" => GetParameter(request),
                "GetParameters" => GetParameters(request),
                "PutParameter" => PutParameter(request),
                "DeleteParameter" => DeleteParameter(request),
                _ => throw new SsmException("InvalidAction", $"local SSM does not implement {operation}"),
            };
            await AwsJsonResponses.WriteAsync(ctx, response.ToJsonString());
        }
        catch (SsmException e)
        {
            await AwsJsonResponses.WriteErrorAsync(ctx, e.Type, e.Message);
        }
        catch (ParameterAlreadyExistsException e)
        {
            await AwsJsonResponses.WriteErrorAsync(ctx, "ParameterAlreadyExists", e.Message);
        }
    }

    private JsonObject GetParametersByPath(JsonObject request)
    {
        var path = request["Path"]?.GetValue<string>() ?? throw new SsmException("ValidationException", "Path is required");
        if (!path.StartsWith('/')) throw new SsmException("ValidationException", "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\".");
        var recursive = request["Recursive"]?.GetValue<bool>() ?? false;
        var max = request["MaxResults"]?.GetValue<int>() ?? 10;
        if (max is < 1 or > 10) throw new SsmException("ValidationException", "MaxResults must be between 1 and 10");
        var offset = 0;
        if (request["NextToken"]?.GetValue<string>() is { } token &&
            !int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset))
        {
            throw new SsmException("InvalidNextToken", "The specified token is not valid.");
        }

        var all = Store.GetByPath(path, recursive);
        var page = all.Skip(offset).Take(max).ToList();
        var result = new JsonObject { ["Parameters"] = new JsonArray(page.Select(p => (JsonNode)ToJson(p)).ToArray()) };
        if (offset + page.Count < all.Count)
            result["NextToken"] = (offset + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return result;
    }

    private JsonObject GetParameter(JsonObject request)
    {
        var name = request["Name"]?.GetValue<string>() ?? throw new SsmException("ValidationException", "Name is required");
        var p = Store.Get(name) ?? throw new SsmException("ParameterNotFound", $"Parameter {name} not found.");
        return new JsonObject { ["Parameter"] = ToJson(p) };
    }

    private JsonObject GetParameters(JsonObject request)
    {
        var names = request["Names"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
        var found = names.Select(Store.Get).OfType<SsmParameter>().ToList();
        return new JsonObject
        {
            ["Parameters"] = new JsonArray(found.Select(p => (JsonNode)ToJson(p)).ToArray()),
            ["InvalidParameters"] = new JsonArray(names.Where(n => Store.Get(n) is null).Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
        };
    }

    private JsonObject PutParameter(JsonObject request)
    {
        var name = request["Name"]?.GetValue<string>() ?? throw new SsmException("ValidationException", "Name is required");
        var value = request["Value"]?.GetValue<string>() ?? throw new SsmException("ValidationException", "Value is required");
        var type = request["Type"]?.GetValue<string>() ?? "String";
        var overwrite = request["Overwrite"]?.GetValue<bool>() ?? false;
        var version = Store.Put(name, value, type, overwrite);
        return new JsonObject { ["Version"] = version, ["Tier"] = "Standard" };
    }

    private JsonObject DeleteParameter(JsonObject request)
    {
        var name = request["Name"]?.GetValue<string>() ?? throw new SsmException("ValidationException", "Name is required");
        return Store.Delete(name) ? [] : throw new SsmException("ParameterNotFound", $"Parameter {name} not found.");
    }

    private static JsonObject ToJson(SsmParameter p) => new()
    {
        ["Name"] = p.Name,
        ["Type"] = p.Type,
        ["Value"] = p.Value,
        ["Version"] = p.Version,
        ["LastModifiedDate"] = p.LastModified.ToUnixTimeMilliseconds() / 1000.0,
        ["ARN"] = $"arn:aws:ssm:{LocalCredentials.Region}:{LocalCredentials.AccountId}:parameter{p.Name}",
        ["DataType"] = "text",
    };

    private sealed class SsmException(string type, string message) : Exception(message)
    {
        public string Type { get; } = type;
    }
}
