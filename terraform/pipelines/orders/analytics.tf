# Glue crawler over the delivered orders (custom JSON classifier, topology schedule) and an Athena workgroup with
# encrypted results and saved queries for the orders table.
locals {
  analytics_cfg = local.pipeline.analytics
  database_name = "${local.analytics_cfg.database}_${var.environment}"
  # The crawler names the table after the folder it crawls, behind the table prefix: orders_ + orders.
  orders_table_name = "${local.analytics_cfg.table_prefix}${trimsuffix(local.data_prefix, "/")}"
  orders_relation   = "\"${local.database_name}\".\"${local.orders_table_name}\""
}

module "analytics" {
  source = "../../modules/analytics"

  database_name      = local.database_name
  crawler_name       = "orders-${var.environment}"
  bucket_name        = local.analytics.name
  bucket_arn         = local.analytics.arn
  bucket_kms_key_arn = module.key.arn
  data_prefix        = local.data_prefix
  table_prefix       = local.analytics_cfg.table_prefix
  crawler_schedule   = local.analytics_cfg.crawler_schedule
  json_path          = "$"
  workgroup_name     = "orders-${var.environment}"
  results_prefix     = local.results_prefix
  force_destroy      = !var.deletion_protection
  tags               = var.tags

  named_queries = {
    "orders-current-state-${var.environment}" = {
      description = "Latest version of every order that still exists (last CDC record per orderid, deletions dropped)."
      query       = <<-SQL
        WITH ranked AS (
          SELECT *, row_number() OVER (PARTITION BY orderid ORDER BY cdc_timestamp DESC) AS rn
          FROM ${local.orders_relation}
        )
        SELECT orderid, product_name, quantity, price, creation_datetime, cdc_timestamp
        FROM ranked
        WHERE rn = 1 AND cdc_event_type <> 'REMOVE'
        ORDER BY creation_datetime DESC
      SQL
    }
    "orders-daily-revenue-${var.environment}" = {
      description = "New orders and their revenue per day (INSERT events, partition-pruned by year/month/day)."
      query       = <<-SQL
        SELECT year, month, day,
               count(*) AS orders,
               sum(CAST(quantity AS decimal(18, 2)) * CAST(price AS decimal(18, 2))) AS revenue
        FROM ${local.orders_relation}
        WHERE cdc_event_type = 'INSERT'
        GROUP BY year, month, day
        ORDER BY year, month, day
      SQL
    }
    "orders-cdc-events-per-day-${var.environment}" = {
      description = "Change events per day and type (INSERT, MODIFY, REMOVE)."
      query       = <<-SQL
        SELECT year, month, day, cdc_event_type, count(*) AS events
        FROM ${local.orders_relation}
        GROUP BY year, month, day, cdc_event_type
        ORDER BY year, month, day, cdc_event_type
      SQL
    }
    "orders-top-products-${var.environment}" = {
      description = "Products by units ordered (INSERT events)."
      query       = <<-SQL
        SELECT product_name, sum(quantity) AS units, count(*) AS orders
        FROM ${local.orders_relation}
        WHERE cdc_event_type = 'INSERT'
        GROUP BY product_name
        ORDER BY units DESC
        LIMIT 20
      SQL
    }
  }
}
