# The Databricks account's identities, applied ONCE for all environments (not per environment):
# the service principals, account groups, users and group memberships of
# databricks/catalog/principals.yml. They are account-level objects shared by dev, staging and prod;
# creating them from each environment's state would fail on the second apply ("already exists") and
# `terraform destroy` of dev would delete prod's principals. The environments only look these
# identities up (data sources) and assign them to their workspace.
#
# Identities are created here (SCIM through Terraform), never with SQL: Databricks SQL has no
# CREATE SERVICE PRINCIPAL, and CREATE GROUP makes workspace-local groups Unity Catalog cannot use.
# Apply this root before the first environment; re-apply when principals.yml changes.
# Credentials come from the environment (DATABRICKS_CLIENT_ID/SECRET of an account admin).

terraform {
  required_version = ">= 1.6"
  required_providers {
    databricks = {
      source  = "databricks/databricks"
      version = "~> 1.128"
    }
  }
  backend "azurerm" {
    key = "odoo-ce/account.tfstate"
  }
}

variable "databricks_account_id" {
  description = "Databricks account id (account console); set TF_VAR_databricks_account_id."
  type        = string
}

provider "databricks" {
  host       = "https://accounts.azuredatabricks.net"
  account_id = var.databricks_account_id
}

locals {
  principals = yamldecode(file("${path.module}/../../databricks/catalog/principals.yml"))
  memberships = flatten([
    for g in local.principals.groups : [for m in g.members : { group = g.name, user = m }]
  ])
}

resource "databricks_service_principal" "this" {
  for_each       = { for sp in local.principals.service_principals : sp.name => sp }
  display_name   = each.value.name
  application_id = each.value.application_id
}

resource "databricks_group" "this" {
  for_each     = { for g in local.principals.groups : g.name => g }
  display_name = each.value.name
}

resource "databricks_user" "this" {
  for_each  = toset([for u in local.principals.users : u.email])
  user_name = each.value
}

resource "databricks_group_member" "this" {
  for_each  = { for m in local.memberships : "${m.group}/${m.user}" => m }
  group_id  = databricks_group.this[each.value.group].id
  member_id = databricks_user.this[each.value.user].id
}

output "service_principal_application_ids" {
  value = { for k, sp in databricks_service_principal.this : k => sp.application_id }
}

output "group_ids" {
  value = { for k, g in databricks_group.this : k => g.id }
}
