# Glue Data Catalog database + crawler (custom JSON classifier, schedule) over one prefix of the data bucket, and an
# Athena workgroup that enforces SSE-KMS encrypted results in the same bucket, with saved queries.
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  glue_arn_base = "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}"
  logs_arn_base = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}"
}

resource "aws_glue_catalog_database" "this" {
  name        = var.database_name
  description = "Tables the ${var.crawler_name} crawler finds under s3://${var.bucket_name}/${var.data_prefix}"
  tags        = var.tags
}

resource "aws_glue_classifier" "json" {
  name = "${var.crawler_name}-json"

  json_classifier {
    json_path = var.json_path
  }
}

# No aws:SourceAccount condition here: Glue does not document passing it when a crawler assumes its role.
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "crawler" {
  name               = substr("${var.crawler_name}-crawler", 0, 64)
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

# Instead of the AWSGlueServiceRole managed policy (glue:*, s3 on every aws-glue-* bucket): exactly what a crawler
# with LOG schema-change behaviour needs on this database, the data prefix and the crawler log group.
data "aws_iam_policy_document" "crawler" {
  statement {
    sid = "CatalogTablesInThisDatabase"
    actions = [
      "glue:GetDatabase",
      "glue:GetTable",
      "glue:GetTables",
      "glue:CreateTable",
      "glue:UpdateTable",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:BatchGetPartition",
      "glue:CreatePartition",
      "glue:BatchCreatePartition",
      "glue:UpdatePartition",
      "glue:BatchUpdatePartition",
    ]
    resources = [
      "${local.glue_arn_base}:catalog",
      "${local.glue_arn_base}:database/${aws_glue_catalog_database.this.name}",
      "${local.glue_arn_base}:table/${aws_glue_catalog_database.this.name}/*",
    ]
  }

  statement {
    sid       = "ListDataPrefix"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.data_prefix, "${var.data_prefix}*"]
    }
  }

  statement {
    sid       = "ReadData"
    actions   = ["s3:GetObject"]
    resources = ["${var.bucket_arn}/${var.data_prefix}*"]
  }

  statement {
    sid       = "DecryptData"
    actions   = ["kms:Decrypt"]
    resources = [var.bucket_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${data.aws_region.current.name}.amazonaws.com"]
    }
  }

  statement {
    sid       = "CrawlerLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.logs_arn_base}:log-group:/aws-glue/crawlers", "${local.logs_arn_base}:log-group:/aws-glue/crawlers:log-stream:*"]
  }
}

resource "aws_iam_role_policy" "crawler" {
  name   = "crawler"
  role   = aws_iam_role.crawler.id
  policy = data.aws_iam_policy_document.crawler.json
}

resource "aws_glue_crawler" "this" {
  name          = var.crawler_name
  database_name = aws_glue_catalog_database.this.name
  role          = aws_iam_role.crawler.arn
  classifiers   = [aws_glue_classifier.json.name]
  schedule      = var.crawler_schedule
  table_prefix  = var.table_prefix
  tags          = var.tags

  s3_target {
    path       = "s3://${var.bucket_name}/${var.data_prefix}"
    exclusions = ["**_SUCCESS", "**.tmp"]
  }

  # Incremental crawls: only new year=/month=/day= folders are read, so a crawl costs the same on day 1 and day 900.
  recrawl_policy {
    recrawl_behavior = "CRAWL_NEW_FOLDERS_ONLY"
  }

  schema_change_policy {
    update_behavior = "LOG"
    delete_behavior = "LOG"
  }

  configuration = jsonencode({
    Version  = 1
    Grouping = { TableGroupingPolicy = "CombineCompatibleSchemas" }
    CrawlerOutput = {
      Partitions = { AddOrUpdateBehavior = "InheritFromTable" }
    }
  })

  depends_on = [aws_iam_role_policy.crawler]
}

resource "aws_athena_workgroup" "this" {
  name          = var.workgroup_name
  description   = "Queries over ${var.database_name}; results encrypted with the data key."
  force_destroy = var.force_destroy
  tags          = var.tags

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.bytes_scanned_cutoff_per_query

    result_configuration {
      output_location = "s3://${var.bucket_name}/${var.results_prefix}"

      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = var.bucket_kms_key_arn
      }
    }
  }
}

resource "aws_athena_named_query" "this" {
  for_each = var.named_queries

  name        = each.key
  description = each.value.description
  database    = aws_glue_catalog_database.this.name
  workgroup   = aws_athena_workgroup.this.id
  query       = each.value.query
}
