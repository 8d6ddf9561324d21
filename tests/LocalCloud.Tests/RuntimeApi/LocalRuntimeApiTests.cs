using System.Net;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.LocalCloud.RuntimeApi;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.LocalCloud.RuntimeApi;

/// <summary>The loopback Runtime API speaks the 2018-06-01 protocol: checked with a plain HTTP client playing the function.</summary>
[TestFixture]
public sealed class LocalRuntimeApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private LocalRuntimeApi _api = null!;
    private HttpClient _function = null!;

    [SetUp]
    public async Task SetUp()
    {
        _api = await LocalRuntimeApi.StartAsync("orders-firehose-transform");
        _function = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri($"http://{_api.Address}/2018-06-01/runtime/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    [TearDown]
    public async Task TearDown()
    {
        _function.Dispose();
        await _api.DisposeAsync();
    }

    [Test]
    public void Binds_loopback_only() => _api.Address.Should().StartWith("127.0.0.1:");

    [Test]
    public async Task Next_hands_out_the_payload_with_lambda_headers_and_the_response_completes_the_invocation()
    {
        var before = DateTimeOffset.UtcNow;
        var invocation = _api.InvokeAsync("{\"n\":1}"u8.ToArray(), TimeSpan.FromSeconds(30));

        using var next = await _function.GetAsync("invocation/next").WaitAsync(Patience);
        var requestId = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(next.Headers.GetValues("Lambda-Runtime-Deadline-Ms").Single(),
            System.Globalization.CultureInfo.InvariantCulture));
        (await next.Content.ReadAsStringAsync()).Should().Be("{\"n\":1}");
        next.Headers.GetValues("Lambda-Runtime-Invoked-Function-Arn").Single().Should().Be("arn:aws:lambda:us-east-1:000000000000:function:orders-firehose-transform");
        next.Headers.GetValues("Lambda-Runtime-Trace-Id").Single().Should().MatchRegex("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$");
        deadline.Should().BeCloseTo(before.AddSeconds(30), TimeSpan.FromSeconds(5));

        using var posted = await _function.PostAsync($"invocation/{requestId}/response", new StringContent("{\"ok\":true}"));
        posted.StatusCode.Should().Be(HttpStatusCode.Accepted);

        var result = await invocation.WaitAsync(Patience);
        result.Status.Should().Be(InvokeStatus.Ok);
        result.RequestId.Should().Be(requestId);
        result.PayloadText.Should().Be("{\"ok\":true}");
    }

    [Test]
    public async Task Error_post_becomes_a_function_error_with_its_type_and_message()
    {
        var invocation = _api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(30));
        using var next = await _function.GetAsync("invocation/next").WaitAsync(Patience);
        var id = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
        using var body = new StringContent("""{"errorType":"InvalidOperationException","errorMessage":"boom","stackTrace":["at X"]}""");
        body.Headers.Add("Lambda-Runtime-Function-Error-Type", "InvalidOperationException");

        using var posted = await _function.PostAsync($"invocation/{id}/error", body);

        posted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var result = await invocation.WaitAsync(Patience);
        result.Status.Should().Be(InvokeStatus.FunctionError);
        result.ErrorType.Should().Be("InvalidOperationException");
        result.ErrorMessage.Should().Be("boom");
        JsonDocument.Parse(result.Payload).RootElement.GetProperty("stackTrace")[0].GetString().Should().Be("at X");
    }

    [Test]
    public async Task No_answer_before_the_deadline_is_a_timeout_and_a_late_answer_is_refused()
    {
        var invocation = _api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromMilliseconds(300));
        using var next = await _function.GetAsync("invocation/next").WaitAsync(Patience);
        var id = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();

        var result = await invocation.WaitAsync(Patience);

        result.Status.Should().Be(InvokeStatus.Timeout);
        result.ErrorType.Should().Be("Sandbox.Timedout");
        result.ErrorMessage.Should().Contain("Task timed out after 0.30 seconds");
        using var late = await _function.PostAsync($"invocation/{id}/response", new StringContent("{}"));
        late.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task A_response_over_6MB_fails_the_invocation_like_lambda()
    {
        var invocation = _api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(30));
        using var next = await _function.GetAsync("invocation/next").WaitAsync(Patience);
        var id = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();

        using var posted = await _function.PostAsync($"invocation/{id}/response", new ByteArrayContent(new byte[LocalRuntimeApi.MaxResponseBytes + 1]));

        posted.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        var result = await invocation.WaitAsync(Patience);
        result.Status.Should().Be(InvokeStatus.FunctionError);
        result.ErrorType.Should().Be("Function.ResponseSizeTooLarge");
    }

    [Test]
    public async Task Init_error_is_recorded_and_fails_outstanding_invocations_when_the_process_ends()
    {
        var reported = new TaskCompletionSource<byte[]>();
        _api.InitErrorReported += b => reported.TrySetResult(b);
        var invocation = _api.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(30));
        using var body = new StringContent("""{"errorType":"ConfigurationException","errorMessage":"REVIEWS_TABLE is not set","stackTrace":[]}""");

        using var posted = await _function.PostAsync("init/error", body);
        _api.FailOutstanding("Runtime.ExitError", "Runtime exited with error: exit status 1");

        posted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        Encoding.UTF8.GetString(await reported.Task.WaitAsync(Patience)).Should().Contain("REVIEWS_TABLE");
        var result = await invocation.WaitAsync(Patience);
        result.Status.Should().Be(InvokeStatus.FunctionError);
        result.ErrorType.Should().Be("ConfigurationException");
        result.ErrorMessage.Should().Be("REVIEWS_TABLE is not set");
    }

    [Test]
    public async Task The_shared_bootstrap_runs_against_it_in_process_with_a_6MB_payload_and_many_invocations()
    {
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(() => LambdaBootstrap.RunAsync(_ => Task.FromResult<IStreamHandler>(new Echo()),
            new LambdaBootstrapOptions { RuntimeApi = _api.Address, FunctionName = "echo" }, stop.Token));
        var big = new byte[LambdaBootstrapOptions.MaxPayloadBytes - 1024];
        new Random(7).NextBytes(big);

        var bigResult = await _api.InvokeAsync(big, TimeSpan.FromSeconds(60)).WaitAsync(Patience);
        var small = new List<InvokeResult>();
        for (var i = 0; i < 100; i++) small.Add(await _api.InvokeAsync(Encoding.UTF8.GetBytes($"{i}"), TimeSpan.FromSeconds(30)).WaitAsync(Patience));

        bigResult.Status.Should().Be(InvokeStatus.Ok);
        bigResult.Payload.AsSpan().SequenceEqual(big).Should().BeTrue();
        small.Select(r => r.PayloadText).Should().Equal(Enumerable.Range(0, 100).Select(i => $"{i}"));
        await stop.CancelAsync();
        (await loop.WaitAsync(Patience)).Should().Be(0);
    }

    private sealed class Echo : IStreamHandler
    {
        public Task HandleAsync(Stream input, Stream output, ILambdaContext context, CancellationToken cancellationToken) =>
            input.CopyToAsync(output, cancellationToken);
    }
}
