using System.Text.Json.Serialization;

namespace Pipelines.Shared.Aws;

/// <summary>Body of operations that answer with nothing of interest (or an empty body).</summary>
internal sealed class EmptyResponse
{
}

/// <summary>Source-generated (trim-safe) serialisers for every AWS JSON-protocol request and response we use.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(PutRecordsRequest))]
[JsonSerializable(typeof(PutRecordsResult))]
[JsonSerializable(typeof(PutRecordRequest))]
[JsonSerializable(typeof(PutRecordResult))]
[JsonSerializable(typeof(CreateStreamRequest))]
[JsonSerializable(typeof(StreamNameRequest))]
[JsonSerializable(typeof(DeleteStreamRequest))]
[JsonSerializable(typeof(DescribeStreamSummaryResponse))]
[JsonSerializable(typeof(ListShardsRequest))]
[JsonSerializable(typeof(ListShardsResponse))]
[JsonSerializable(typeof(GetShardIteratorRequest))]
[JsonSerializable(typeof(GetShardIteratorResponse))]
[JsonSerializable(typeof(GetRecordsRequest))]
[JsonSerializable(typeof(GetRecordsResult))]
[JsonSerializable(typeof(SqsQueueNameRequest))]
[JsonSerializable(typeof(SqsQueueUrlResponse))]
[JsonSerializable(typeof(SqsQueueUrlRequest))]
[JsonSerializable(typeof(SqsGetQueueAttributesRequest))]
[JsonSerializable(typeof(SqsAttributesResponse))]
[JsonSerializable(typeof(SqsSetQueueAttributesRequest))]
[JsonSerializable(typeof(SqsSendMessageRequest))]
[JsonSerializable(typeof(SqsSendResult))]
[JsonSerializable(typeof(SqsSendMessageBatchRequest))]
[JsonSerializable(typeof(SqsBatchResult))]
[JsonSerializable(typeof(SqsReceiveMessageRequest))]
[JsonSerializable(typeof(SqsReceiveMessageResponse))]
[JsonSerializable(typeof(SqsReceiptRequest))]
[JsonSerializable(typeof(SqsDeleteMessageBatchRequest))]
[JsonSerializable(typeof(SqsChangeVisibilityRequest))]
[JsonSerializable(typeof(SsmGetParametersByPathRequest))]
[JsonSerializable(typeof(SsmGetParametersByPathResponse))]
[JsonSerializable(typeof(SsmGetParameterRequest))]
[JsonSerializable(typeof(SsmGetParameterResponse))]
[JsonSerializable(typeof(SsmPutParameterRequest))]
[JsonSerializable(typeof(SsmPutParameterResponse))]
internal sealed partial class AwsJsonContext : JsonSerializerContext;
