using Pipelines.Tests.Terraform.Infrastructure;

namespace Pipelines.Tests.Terraform.Policy;

/// <summary>Queues and topics: encrypted, and no work queue without a dead-letter queue.</summary>
internal static class MessagingRules
{
    public static IReadOnlyList<PolicyRule> All { get; } =
    [
        new("CKV_AWS_27", "SQS queues are encrypted (SSE-KMS or SSE-SQS)", QueueEncryption),
        new("SQS_DLQ", "every work queue redrives to a DLQ; every terminal queue is a DLQ or an on-failure destination", DeadLetterQueues),
        new("CKV_AWS_26", "SNS topics are encrypted with KMS", TopicEncryption),
    ];

    private static IEnumerable<Violation> QueueEncryption(PolicyContext ctx)
    {
        foreach (var queue in ctx.Dirs.SelectMany(d => d.ResourcesOfType("aws_sqs_queue")))
        {
            var kms = queue.Body["kms_master_key_id"];
            var sseSqs = queue.Body["sqs_managed_sse_enabled"];
            if (Json.IsFalse(sseSqs) && kms is null)
            {
                yield return new Violation("CKV_AWS_27", queue.Location, "sqs_managed_sse_enabled = false and no kms_master_key_id");
            }
            else if (kms is null && sseSqs is null)
            {
                yield return new Violation("CKV_AWS_27", queue.Location, "sets neither kms_master_key_id nor sqs_managed_sse_enabled");
            }
        }
    }

    private static IEnumerable<Violation> DeadLetterQueues(PolicyContext ctx)
    {
        foreach (var dir in ctx.Dirs)
        {
            var queues = dir.ResourcesOfType("aws_sqs_queue").ToList();
            foreach (var queue in queues.Where(q => !q.Body.ContainsKey("redrive_policy")))
            {
                // A queue without a redrive policy must itself be some other queue's dead-letter target.
                var isTarget = queues.Any(other => other != queue && Refs.RefersTo(other.Body["redrive_policy"], queue.Address));
                if (!isTarget)
                {
                    yield return new Violation("SQS_DLQ", queue.Location, "has no redrive_policy and is no other queue's dead-letter target");
                }
            }

            // A queue module call marked terminal must be used as an event source mapping's on-failure destination.
            foreach (var call in dir.ModuleCalls.Where(c => Json.IsTrue(c.Body["is_dead_letter_queue"])))
            {
                var used = dir.ModuleCalls.Any(other => Json.AllStrings(other.Body["stream_sources"])
                    .Any(s => s.Contains($"module.{call.Name}.arn", StringComparison.Ordinal)));
                if (!used)
                {
                    yield return new Violation("SQS_DLQ", call.Location, "is a terminal queue (no DLQ) but no stream mapping sends its failures there");
                }
            }
        }
    }

    private static IEnumerable<Violation> TopicEncryption(PolicyContext ctx) =>
        ctx.Dirs.SelectMany(d => d.ResourcesOfType("aws_sns_topic"))
            .Where(t => t.Body["kms_master_key_id"] is null)
            .Select(t => new Violation("CKV_AWS_26", t.Location, "has no kms_master_key_id"));
}
