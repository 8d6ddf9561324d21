using System.Text.Json.Nodes;
using Pipelines.Tests.Terraform.Infrastructure;

namespace Pipelines.Tests.Terraform.Policy;

/// <summary>Encryption, versioning, access and recovery rules for S3, DynamoDB, Kinesis, KMS and Athena.</summary>
internal static class StorageRules
{
    private static readonly string[] KmsAlgorithms = ["aws:kms", "aws:kms:dsse"];

    public static IReadOnlyList<PolicyRule> All { get; } =
    [
        new("CKV_AWS_145", "S3 buckets are encrypted with SSE-KMS by default", BucketKmsEncryption),
        new("CKV_AWS_21", "S3 buckets have versioning enabled", BucketVersioning),
        new("CKV2_AWS_6", "S3 buckets block all public access", BucketPublicAccessBlock),
        new("SECURITYHUB_S3_5", "S3 bucket policies deny requests without TLS (aws:SecureTransport false)", BucketTlsOnly),
        new("CKV2_AWS_65", "S3 buckets disable ACLs (BucketOwnerEnforced)", BucketOwnerEnforced),
        new("CKV2_AWS_61", "S3 buckets have a lifecycle configuration", BucketLifecycle),
        new("CKV_AWS_43", "Kinesis streams are encrypted with KMS", KinesisEncryption),
        new("CKV_AWS_28", "DynamoDB tables have point-in-time recovery", DynamoPitr),
        new("CKV_AWS_119", "DynamoDB tables are encrypted with a customer managed KMS key", DynamoCmk),
        new("CKV_AWS_7", "KMS keys rotate", KmsRotation),
        new("CKV_AWS_159", "Athena workgroups enforce encrypted query results", AthenaEncryption),
    ];

    /// <summary>For every aws_s3_bucket, the companion resources of a type whose bucket references it.</summary>
    private static IEnumerable<Violation> PerBucket(PolicyContext ctx, string rule, string companionType, Func<TfDir, TfBlock, string?> problem)
    {
        foreach (var dir in ctx.Dirs)
        {
            foreach (var bucket in dir.ResourcesOfType("aws_s3_bucket"))
            {
                var companions = dir.ResourcesOfType(companionType).Where(c => Refs.RefersTo(c.Body["bucket"], bucket.Address)).ToList();
                if (companions.Count == 0)
                {
                    yield return new Violation(rule, bucket.Location, $"has no {companionType}");
                    continue;
                }

                var problems = companions.Select(c => problem(dir, c)).ToList();
                if (problems.All(p => p is not null))
                {
                    yield return new Violation(rule, bucket.Location, problems[0]!);
                }
            }
        }
    }

    private static IEnumerable<Violation> BucketKmsEncryption(PolicyContext ctx) =>
        PerBucket(ctx, "CKV_AWS_145", "aws_s3_bucket_server_side_encryption_configuration", (_, c) =>
        {
            var algorithm = Json.Str(Json.Block(Json.Block(c.Body, "rule"), "apply_server_side_encryption_by_default")?["sse_algorithm"]);
            return KmsAlgorithms.Contains(algorithm) ? null : $"default encryption is '{algorithm ?? "none"}', not SSE-KMS";
        });

    private static IEnumerable<Violation> BucketVersioning(PolicyContext ctx) =>
        PerBucket(ctx, "CKV_AWS_21", "aws_s3_bucket_versioning", (_, c) =>
        {
            var status = Json.Str(Json.Block(c.Body, "versioning_configuration")?["status"]);
            return status == "Enabled" ? null : $"versioning status is '{status ?? "none"}'";
        });

    private static IEnumerable<Violation> BucketPublicAccessBlock(PolicyContext ctx) =>
        PerBucket(ctx, "CKV2_AWS_6", "aws_s3_bucket_public_access_block", (_, c) =>
        {
            var open = new[] { "block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets" }
                .Where(k => !Json.IsTrue(c.Body[k])).ToList();
            return open.Count == 0 ? null : $"public access block does not set {string.Join(", ", open)} = true";
        });

    private static IEnumerable<Violation> BucketOwnerEnforced(PolicyContext ctx) =>
        PerBucket(ctx, "CKV2_AWS_65", "aws_s3_bucket_ownership_controls", (_, c) =>
        {
            var ownership = Json.Str(Json.Block(c.Body, "rule")?["object_ownership"]);
            return ownership == "BucketOwnerEnforced" ? null : $"object ownership is '{ownership ?? "none"}'";
        });

    private static IEnumerable<Violation> BucketLifecycle(PolicyContext ctx) =>
        PerBucket(ctx, "CKV2_AWS_61", "aws_s3_bucket_lifecycle_configuration", (_, c) =>
            Json.Objects(c.Body["rule"]).Any(r => Json.Str(r["status"]) == "Enabled") ? null : "lifecycle configuration has no enabled rule");

    private static IEnumerable<Violation> BucketTlsOnly(PolicyContext ctx) =>
        PerBucket(ctx, "SECURITYHUB_S3_5", "aws_s3_bucket_policy", (dir, c) =>
        {
            var document = PolicyDocument(dir, c.Body["policy"]);
            if (document is null)
            {
                return "bucket policy is not an aws_iam_policy_document in this module (cannot be checked)";
            }

            var denies = Json.Objects(document.Body["statement"]).Any(s =>
                Json.Str(s["effect"]) == "Deny" &&
                Json.Objects(s["condition"]).Any(cond =>
                    Json.Str(cond["test"]) == "Bool" && Json.Str(cond["variable"]) == "aws:SecureTransport" && Json.Strings(cond["values"]).Contains("false")) &&
                Json.Strings(s["resources"]).Any(r => r.EndsWith("/*", StringComparison.Ordinal)) &&
                Json.Strings(s["resources"]).Any(r => !r.EndsWith("/*", StringComparison.Ordinal)));
            return denies ? null : "bucket policy has no Deny of aws:SecureTransport = false on the bucket and its objects";
        });

    private static IEnumerable<Violation> KinesisEncryption(PolicyContext ctx) =>
        ctx.Dirs.SelectMany(d => d.ResourcesOfType("aws_kinesis_stream"))
            .Where(s => Json.Str(s.Body["encryption_type"]) != "KMS" || !s.Body.ContainsKey("kms_key_id"))
            .Select(s => new Violation("CKV_AWS_43", s.Location, "encryption_type must be KMS with a kms_key_id"));

    private static IEnumerable<Violation> DynamoPitr(PolicyContext ctx) =>
        ctx.Dirs.SelectMany(d => d.ResourcesOfType("aws_dynamodb_table"))
            .Where(t => !Json.IsTrue(Json.Block(t.Body, "point_in_time_recovery")?["enabled"]))
            .Select(t => new Violation("CKV_AWS_28", t.Location, "point_in_time_recovery is not enabled"));

    private static IEnumerable<Violation> DynamoCmk(PolicyContext ctx)
    {
        foreach (var table in ctx.Dirs.SelectMany(d => d.ResourcesOfType("aws_dynamodb_table")))
        {
            var sse = Json.Block(table.Body, "server_side_encryption");
            if (!Json.IsTrue(sse?["enabled"]) || sse?["kms_key_arn"] is null)
            {
                yield return new Violation("CKV_AWS_119", table.Location, "server_side_encryption must be enabled with a kms_key_arn");
            }
        }

        // The module takes a key; every call must give it one (null would fall back to the AWS managed key).
        foreach (var dir in ctx.Dirs)
        {
            foreach (var call in dir.ModuleCalls.Where(c => ctx.Workspace.Resolve(dir, c)?.ResourcesOfType("aws_dynamodb_table").Any() == true))
            {
                if (call.Body["kms_key_arn"] is null || Json.Str(call.Body["kms_key_arn"]) is { Length: 0 })
                {
                    yield return new Violation("CKV_AWS_119", call.Location, "passes no kms_key_arn (customer managed key)");
                }
            }
        }
    }

    private static IEnumerable<Violation> KmsRotation(PolicyContext ctx) =>
        ctx.Dirs.SelectMany(d => d.ResourcesOfType("aws_kms_key"))
            .Where(k => !Json.IsTrue(k.Body["enable_key_rotation"]))
            .Select(k => new Violation("CKV_AWS_7", k.Location, "enable_key_rotation is not true"));

    private static IEnumerable<Violation> AthenaEncryption(PolicyContext ctx)
    {
        foreach (var workgroup in ctx.Dirs.SelectMany(d => d.ResourcesOfType("aws_athena_workgroup")))
        {
            var configuration = Json.Block(workgroup.Body, "configuration");
            var encryption = Json.Block(Json.Block(configuration, "result_configuration"), "encryption_configuration");
            if (!Json.IsTrue(configuration?["enforce_workgroup_configuration"]))
            {
                yield return new Violation("CKV_AWS_159", workgroup.Location, "enforce_workgroup_configuration is not true (clients could turn encryption off)");
            }

            if (Json.Str(encryption?["encryption_option"]) is not ("SSE_KMS" or "CSE_KMS"))
            {
                yield return new Violation("CKV_AWS_159", workgroup.Location, "query results are not encrypted with KMS");
            }
        }
    }

    /// <summary>The aws_iam_policy_document a policy attribute references ("${data.aws_iam_policy_document.x.json}").</summary>
    public static TfBlock? PolicyDocument(TfDir dir, JsonNode? policy) =>
        dir.DataOfType("aws_iam_policy_document").FirstOrDefault(d => Refs.RefersTo(policy, d.Address));
}
