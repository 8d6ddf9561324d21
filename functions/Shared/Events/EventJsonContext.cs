using System.Text.Json.Serialization;

namespace Pipelines.Shared.Events;

/// <summary>
/// Source-generated (trim/AOT-safe) JSON metadata for every event and response contract.
/// Reading is forgiving the way AWS payloads need: unknown members are ignored, member names match case-insensitively,
/// numbers may arrive as strings. Writing omits nulls so responses carry only what AWS expects.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(KinesisEvent))]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(S3EventNotification))]
[JsonSerializable(typeof(DynamoDBEvent))]
[JsonSerializable(typeof(KinesisFirehoseEvent))]
[JsonSerializable(typeof(KinesisFirehoseResponse))]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(AttributeValue))]
[JsonSerializable(typeof(Dictionary<string, AttributeValue>))]
public sealed partial class EventJsonContext : JsonSerializerContext;
