# The prod environment: modules/platform (network → workspace with its policies, warehouse and
# identity assignments → Unity Catalog layout) with prod's values, then the grants (grants.tf.json, generated
# by `npx deploy grants terraform -t prod`). What the environments share lives in the module; a
# root module still has to state its own backend, providers and outputs.
# State lives in an Azure storage account created once by hand (docs/deployment.md, step 1).
# Credentials come from the environment (ARM_* for Azure, DATABRICKS_* for the account provider);
# nothing secret is written here.

terraform {
  required_version = ">= 1.6"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
    databricks = {
      source  = "databricks/databricks"
      version = "~> 1.128"
    }
  }
  backend "azurerm" {
    key = "odoo-ce/prod.tfstate"
  }
}

provider "azurerm" {
  features {}
}

provider "databricks" {
  host                        = module.platform.workspace_url
  azure_workspace_resource_id = module.platform.workspace_resource_id
}

provider "databricks" {
  alias      = "account"
  host       = "https://accounts.azuredatabricks.net"
  account_id = var.databricks_account_id
}

module "platform" {
  source = "../../modules/platform"
  providers = {
    databricks         = databricks
    databricks.account = databricks.account
  }
  environment                = "prod"
  location                   = "southeastasia"
  address_space              = "10.42.0.0/20"
  warehouse_max_num_clusters = 2
  catalog_prefix             = ""
  force_destroy_catalogs     = false
}

output "workspace_url" {
  description = "DATABRICKS_HOST of the prod GitHub environment."
  value       = module.platform.workspace_url
}

output "sql_warehouse_id" {
  description = "The id behind DATABRICKS_HTTP_PATH (/sql/1.0/warehouses/<id>)."
  value       = module.platform.sql_warehouse_id
}
