variable "databricks_account_id" {
  description = "Databricks account id (account console); set TF_VAR_databricks_account_id."
  type        = string
}
