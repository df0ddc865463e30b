# One Databricks workspace: the Azure workspace itself (premium, VNet-injected into the networking
# module's subnets), and what lives inside it — the cluster policies of databricks/config/policies,
# the pipeline's SQL warehouse (odoo-ce-sql, looked up by name by the bundle), and the workspace
# assignment of the account identities of databricks/catalog/principals.yml. The identities
# themselves are account-level and shared by every environment: terraform/account creates them once;
# here they are only looked up (data sources) and given workspace access (users through their groups).
#
# The workspace-level `databricks` provider of the caller must point at this module's
# `workspace_url`; `databricks.account` is the account-level provider (accounts.azuredatabricks.net).

terraform {
  required_version = ">= 1.6"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
    databricks = {
      source                = "databricks/databricks"
      version               = "~> 1.128"
      configuration_aliases = [databricks.account]
    }
  }
}

variable "name" {
  description = "Workspace name, e.g. odoo-ce-prod."
  type        = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "virtual_network_id" {
  type = string
}

variable "host_subnet_name" {
  type = string
}

variable "container_subnet_name" {
  type = string
}

variable "host_nsg_association_id" {
  type = string
}

variable "container_nsg_association_id" {
  type = string
}

variable "config_dir" {
  description = "The repository's databricks/config directory (cluster policies, warehouse settings)."
  type        = string
}

variable "principals_file" {
  description = "The repository's databricks/catalog/principals.yml."
  type        = string
}

variable "warehouse" {
  description = "The pipeline's SQL warehouse (sql_task needs Serverless or Pro)."
  type = object({
    name             = string
    cluster_size     = string
    max_num_clusters = number
    auto_stop_mins   = number
  })
  default = {
    name             = "odoo-ce-sql"
    cluster_size     = "2X-Small"
    max_num_clusters = 1
    auto_stop_mins   = 10
  }
}

variable "tags" {
  type    = map(string)
  default = {}
}

locals {
  principals = yamldecode(file(var.principals_file))
  policies = {
    for f in fileset("${var.config_dir}/policies", "*.json") :
    trimsuffix(f, ".json") => jsondecode(file("${var.config_dir}/policies/${f}"))
  }
}

resource "azurerm_databricks_workspace" "this" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  sku                 = "premium"
  tags                = var.tags

  custom_parameters {
    no_public_ip                                         = true
    virtual_network_id                                   = var.virtual_network_id
    public_subnet_name                                   = var.host_subnet_name
    private_subnet_name                                  = var.container_subnet_name
    public_subnet_network_security_group_association_id  = var.host_nsg_association_id
    private_subnet_network_security_group_association_id = var.container_nsg_association_id
  }
}

resource "databricks_cluster_policy" "this" {
  for_each    = local.policies
  name        = each.value.name
  description = each.value.description
  definition  = jsonencode(each.value.definition)
}

resource "databricks_sql_endpoint" "pipeline" {
  name                      = var.warehouse.name
  cluster_size              = var.warehouse.cluster_size
  min_num_clusters          = 1
  max_num_clusters          = var.warehouse.max_num_clusters
  auto_stop_mins            = var.warehouse.auto_stop_mins
  enable_serverless_compute = true
  warehouse_type            = "PRO"

  tags {
    custom_tags {
      key   = "cost_center"
      value = "finance-data"
    }
    custom_tags {
      key   = "workload"
      value = "etl"
    }
  }
}

# Look the account identities up (terraform/account creates them) and assign them to this workspace.
data "databricks_service_principal" "this" {
  provider       = databricks.account
  for_each       = { for sp in local.principals.service_principals : sp.name => sp }
  application_id = each.value.application_id
}

data "databricks_group" "this" {
  provider     = databricks.account
  for_each     = { for g in local.principals.groups : g.name => g }
  display_name = each.value.name
}

resource "databricks_mws_permission_assignment" "service_principal" {
  provider     = databricks.account
  for_each     = data.databricks_service_principal.this
  workspace_id = azurerm_databricks_workspace.this.workspace_id
  principal_id = each.value.id
  permissions  = ["USER"]
}

resource "databricks_mws_permission_assignment" "group" {
  provider     = databricks.account
  for_each     = data.databricks_group.this
  workspace_id = azurerm_databricks_workspace.this.workspace_id
  principal_id = each.value.id
  permissions  = each.key == "databricks_admins" ? ["ADMIN"] : ["USER"]
}

output "workspace_url" {
  value = "https://${azurerm_databricks_workspace.this.workspace_url}"
}

output "workspace_resource_id" {
  value = azurerm_databricks_workspace.this.id
}

output "sql_warehouse_id" {
  value = databricks_sql_endpoint.pipeline.id
}

output "cluster_policy_ids" {
  value = { for k, p in databricks_cluster_policy.this : p.name => p.id }
}

output "service_principal_application_ids" {
  value = { for k, sp in data.databricks_service_principal.this : k => sp.application_id }
}
