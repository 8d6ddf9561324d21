using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>
/// DynamoDB's JSON endpoint as a script: records every call (operation and body text, as the store sent it) and
/// answers each with the next scripted response, or with DynamoDB's usual success answer when the script is empty
/// (every write done, every statement succeeded, no item found).
/// </summary>
internal sealed class ScriptedDynamoDb : HttpMessageHandler
{
    private readonly Queue<(HttpStatusCode Status, string Json)> _answers = new();
    private readonly Lock _gate = new();

    public List<(string Operation, string Body, string? ContentType)> Calls { get; } = [];

    public void Answer(string json) => Answer(HttpStatusCode.OK, json);

    public void Answer(HttpStatusCode status, string json)
    {
        lock (_gate) _answers.Enqueue((status, json));
    }

    /// <summary>DynamoDB's answer when every request of the call succeeded.</summary>
    private static string SuccessFor(string operation, string body) => operation switch
    {
        "BatchWriteItem" => """{"UnprocessedItems":{}}""",
        "BatchGetItem" => """{"Responses":{},"UnprocessedKeys":{}}""",
        "BatchExecuteStatement" => "{\"Responses\":[" + string.Join(',', StatementTables(body).Select(t => $"{{\"TableName\":\"{t}\"}}")) + "]}",
        _ => "{}",
    };

    /// <summary>The table each INSERT statement of a BatchExecuteStatement body names, in order.</summary>
    private static List<string> StatementTables(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("Statements").EnumerateArray()
            .Select(s => s.GetProperty("Statement").GetString()!.Split('"')[1]).ToList();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.Headers.GetValues("X-Amz-Target").Single();
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        var operation = target["DynamoDB_20120810.".Length..];
        (HttpStatusCode Status, string Json) answer;
        lock (_gate)
        {
            Calls.Add((operation, body, request.Content.Headers.ContentType?.MediaType));
            answer = _answers.Count > 0 ? _answers.Dequeue() : (HttpStatusCode.OK, SuccessFor(operation, body));
        }
        return new HttpResponseMessage(answer.Status)
        {
            Content = new StringContent(answer.Json, Encoding.UTF8, new MediaTypeHeaderValue("application/x-amz-json-1.0")),
        };
    }
}
