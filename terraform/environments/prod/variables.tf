variable "databricks_account_id" {
  description = "Databricks account id (account console); set TF_VAR_databricks_account_id."
  type        = string
}

variable "metastore_id" {
  description = "The Unity Catalog metastore of the region, assigned to the workspace; used by the METASTORE grant in grants.tf.json (prod owns it: the environments share the metastore and databricks_grants is authoritative). Set TF_VAR_metastore_id."
  type        = string
}
