variable "databricks_account_id" {
  description = "Databricks account id (account console); set TF_VAR_databricks_account_id."
  type        = string
}

variable "metastore_id" {
  description = "The Unity Catalog metastore of the region, assigned to the workspace; used by the METASTORE grants in grants.tf.json. Set TF_VAR_metastore_id."
  type        = string
}
