# One environment of the platform, everything the three environments share: a resource group,
# the network (networking) → the workspace with its cluster policies, SQL warehouse and workspace
# access for the account identities terraform/account creates (databricks_workspace) → the Unity
# Catalog catalogs and schemas (unity_catalog).
# Each environments/<env> calls this module with only what differs (name, address space, warehouse
# scale, catalog prefix); grants stay in environments/<env>/grants.tf.json, generated per target.
#
# Like databricks_workspace, it takes the caller's workspace-level `databricks` provider (pointed at
# this module's `workspace_url`) and the account-level `databricks.account` provider.

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

variable "environment" {
  description = "The deploy target this environment serves: dev, staging or prod. Names resources odoo-ce-<environment>."
  type        = string
  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "location" {
  description = "Azure region, e.g. southeastasia (the region of the Unity Catalog metastore)."
  type        = string
}

variable "address_space" {
  description = "The environment's VNet CIDR (a /20; distinct per environment so they can be peered)."
  type        = string
}

variable "warehouse_max_num_clusters" {
  description = "Upper bound of the odoo-ce-sql warehouse's autoscaling."
  type        = number
  default     = 1
}

variable "catalog_prefix" {
  description = "Prefix of every catalog name: dev_, staging_, or empty in prod (the bundle target's names)."
  type        = string
}

variable "force_destroy_catalogs" {
  description = "Allow terraform destroy to drop non-empty catalogs (dev only)."
  type        = bool
  default     = false
}

locals {
  name = "odoo-ce-${var.environment}"
  tags = {
    project     = "odoo-ce"
    environment = var.environment
    cost_center = "finance-data"
  }
  # The repository's databricks/ tree, read by the workspace and catalog modules.
  databricks_dir = "${path.module}/../../../databricks"
}

resource "azurerm_resource_group" "this" {
  name     = "rg-${local.name}"
  location = var.location
  tags     = local.tags
}

module "networking" {
  source              = "../networking"
  name                = local.name
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  address_space       = var.address_space
  tags                = local.tags
}

module "databricks_workspace" {
  source = "../databricks_workspace"
  providers = {
    databricks         = databricks
    databricks.account = databricks.account
  }
  name                         = local.name
  resource_group_name          = azurerm_resource_group.this.name
  location                     = azurerm_resource_group.this.location
  virtual_network_id           = module.networking.virtual_network_id
  host_subnet_name             = module.networking.host_subnet_name
  container_subnet_name        = module.networking.container_subnet_name
  host_nsg_association_id      = module.networking.host_nsg_association_id
  container_nsg_association_id = module.networking.container_nsg_association_id
  config_dir                   = "${local.databricks_dir}/config"
  principals_file              = "${local.databricks_dir}/catalog/principals.yml"
  warehouse = {
    name             = "odoo-ce-sql"
    cluster_size     = "2X-Small"
    max_num_clusters = var.warehouse_max_num_clusters
    auto_stop_mins   = 10
  }
  tags = local.tags
}

module "unity_catalog" {
  source         = "../unity_catalog"
  catalogs_file  = "${local.databricks_dir}/catalog/catalogs.yml"
  catalog_prefix = var.catalog_prefix
  force_destroy  = var.force_destroy_catalogs
  depends_on     = [module.databricks_workspace]
}

output "workspace_url" {
  value = module.databricks_workspace.workspace_url
}

output "workspace_resource_id" {
  value = module.databricks_workspace.workspace_resource_id
}

output "sql_warehouse_id" {
  value = module.databricks_workspace.sql_warehouse_id
}

output "catalog_names" {
  value = module.unity_catalog.catalog_names
}
