bucket = "state"
key    = "realtime-pipelines/terraform.tfstate"
region = "eu-west-1"
