using System.Globalization;
using System.Text;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>Event payloads for tests; each carries "n", a unique number per distinct record, so audits can tell them apart.</summary>
internal static class TestEvents
{
    public const long Day1 = 1_709_294_400; // 2024-03-01T12:00:00Z
    public const long Day2 = Day1 + 86_400; // 2024-03-02

    public static string Uuid(int i) => new Guid(i, 0x1234, 0x4567, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67).ToString("D");

    public static string Json(int n, string uuid, string eventName = "lesson:started", long createdAt = Day1) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"event_uuid":"{{uuid}}","event_name":"{{eventName}}","created_at":{{createdAt}},"n":{{n}},"user_id":"u-{{n % 7}}"}""");

    public static byte[] Bytes(int n, string uuid, string eventName = "lesson:started", long createdAt = Day1) =>
        Encoding.UTF8.GetBytes(Json(n, uuid, eventName, createdAt));
}
