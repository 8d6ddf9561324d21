namespace Pipelines.Tests.Shared.Aws;

/// <summary>
/// Cases from AWS's published SigV4 test suite (aws-sig-v4-test-suite: .req/.creq/.sts/.authz, credentials
/// AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service "service"), copied verbatim.
/// </summary>
internal static class SigV4TestSuiteVectors
{
    public const string AccessKeyId = "AKIDEXAMPLE";
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Region = "us-east-1";
    public const string Service = "service";
    public const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    public const string SessionToken =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    public static readonly DateTimeOffset Timestamp = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    public static IEnumerable<SigV4Vector> All()
    {
        yield return new SigV4Vector(
            "get-vanilla",
            Lines("GET / HTTP/1.1", "Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z"),
            Lines("GET", "/", "", "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "", "host;x-amz-date", EmptyHash),
            Sts("bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"),
            Authz("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"));

        yield return new SigV4Vector(
            "post-vanilla",
            Lines("POST / HTTP/1.1", "Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z"),
            Lines("POST", "/", "", "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "", "host;x-amz-date", EmptyHash),
            Sts("553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87"),
            Authz("host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"));

        yield return new SigV4Vector(
            "get-vanilla-query-order-key-case",
            Lines("GET /?Param2=value2&Param1=value1 HTTP/1.1", "Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z"),
            Lines("GET", "/", "Param1=value1&Param2=value2", "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "", "host;x-amz-date", EmptyHash),
            Sts("816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0"),
            Authz("host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"));

        yield return new SigV4Vector(
            "get-vanilla-query-order-key",
            Lines("GET /?Param1=value2&Param1=Value1 HTTP/1.1", "Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z"),
            Lines("GET", "/", "Param1=Value1&Param1=value2", "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "", "host;x-amz-date", EmptyHash),
            Sts("704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89"),
            Authz("host;x-amz-date", "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"));

        yield return new SigV4Vector(
            "get-vanilla-query-order-value",
            Lines("GET /?Param1=value2&Param1=value1 HTTP/1.1", "Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z"),
            Lines("GET", "/", "Param1=value1&Param1=value2", "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "", "host;x-amz-date", EmptyHash),
            Sts("c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606"),
            Authz("host;x-amz-date", "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"));

        yield return new SigV4Vector(
            "post-sts-token/post-sts-header-before",
            Lines("POST / HTTP/1.1", "Host:example.amazonaws.com", "X-Amz-Date:20150830T123600Z", "X-Amz-Security-Token:" + SessionToken),
            Lines(
                "POST", "/", "", "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "x-amz-security-token:" + SessionToken, "",
                "host;x-amz-date;x-amz-security-token", EmptyHash),
            Sts("c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6"),
            Authz("host;x-amz-date;x-amz-security-token", "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"));
    }

    private static string Lines(params string[] lines) => string.Join('\n', lines);

    private static string Sts(string canonicalRequestHash) =>
        Lines("AWS4-HMAC-SHA256", "20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonicalRequestHash);

    private static string Authz(string signedHeaders, string signature) =>
        $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}";
}

/// <summary>One test-suite case: the raw request (.req) and the expected .creq, .sts and .authz texts.</summary>
internal sealed record SigV4Vector(string Name, string Request, string CanonicalRequest, string StringToSign, string Authorization)
{
    public override string ToString() => Name;
}
