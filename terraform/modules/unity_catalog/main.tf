# The Unity Catalog layout of one target, read from databricks/catalog/catalogs.yml (the single
# source of truth, also read by `deploy catalog apply`): every catalog and schema, named for the
# target (`catalog_prefix` + logical name, e.g. dev_gold). The ops catalog's `ops` schema keeps
# its name. Grants are not written here: `npx deploy grants terraform -t <target>` generates
# environments/<target>/grants.tf.json (authoritative databricks_grants) from the same policy.

terraform {
  required_version = ">= 1.6"
  required_providers {
    databricks = {
      source  = "databricks/databricks"
      version = "~> 1.128"
    }
  }
}

variable "catalogs_file" {
  description = "The repository's databricks/catalog/catalogs.yml."
  type        = string
}

variable "catalog_prefix" {
  description = "Prefix of every catalog name: dev_, staging_, or empty in prod."
  type        = string
}

variable "storage_root" {
  description = "Managed storage location of the catalogs (abfss://…), or null for the metastore's."
  type        = string
  default     = null
}

variable "force_destroy" {
  description = "Allow terraform destroy to drop non-empty catalogs (dev only)."
  type        = bool
  default     = false
}

locals {
  layout = yamldecode(file(var.catalogs_file)).catalogs
  catalogs = { for c in local.layout : c.name => {
    name    = "${var.catalog_prefix}${c.name}"
    comment = try(c.comment, null)
  } }
  schemas = merge([
    for c in local.layout : {
      for s in c.schemas : "${c.name}.${s.name}" => {
        catalog = c.name
        name    = s.name
        comment = try(s.comment, null)
      }
    }
  ]...)
}

resource "databricks_catalog" "this" {
  for_each      = local.catalogs
  name          = each.value.name
  comment       = each.value.comment
  storage_root  = var.storage_root
  force_destroy = var.force_destroy
  properties = {
    managed_by = "terraform"
  }
}

resource "databricks_schema" "this" {
  for_each      = local.schemas
  catalog_name  = databricks_catalog.this[each.value.catalog].name
  name          = each.value.name
  comment       = each.value.comment
  force_destroy = var.force_destroy
}

output "catalog_names" {
  value = { for k, c in databricks_catalog.this : k => c.name }
}

output "schema_ids" {
  value = { for k, s in databricks_schema.this : k => s.id }
}
