environment         = "production"
deletion_protection = false
