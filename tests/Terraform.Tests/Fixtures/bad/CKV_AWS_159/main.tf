# Results unencrypted, and clients may override the workgroup settings.
resource "aws_athena_workgroup" "orders" {
  name = "orders"

  configuration {
    enforce_workgroup_configuration = false

    result_configuration {
      output_location = "s3://fixture-results/"
    }
  }
}
