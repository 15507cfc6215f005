"""ETL of the observatory: raw official files -> validated tidy observations -> SQL store."""
