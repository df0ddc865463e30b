/**
 * @odoo-ce/catalog — Unity Catalog governance as code: the securable/privilege/principal model,
 * the policy files (databricks/catalog/*.yml), effective privileges with Unity Catalog semantics,
 * GRANT/REVOKE diffs and Terraform JSON, grants stores (ops table, Databricks SQL), the local
 * endpoint's grants handler, and the read-only SQL gate.
 */
export { CatalogError, type CatalogErrorCode } from './errors.js';
export {
  ancestors,
  describeSecurable,
  EFFECTIVE_ON,
  GRANTABLE,
  privilegeToApi,
  PRIVILEGES,
  sameSecurable,
  securable,
  type Grant,
  type GrantChange,
  type Principal,
  type PrincipalKind,
  type Privilege,
  type Securable,
  type SecurableType,
} from './model.js';
export { REPO_POLICY_DIR } from './repo-policy.js';
export { declaredSecurables, loadPolicy, parsePolicy, type CatalogTree, type Policy, type PolicySources } from './policy.js';
export { GrantEvaluator, type Access, type AccessDecision, type EffectivePrivilege, type MissingPrivilege } from './evaluator.js';
export { changeToSql, diffGrants, toTerraformGrants, type TerraformGrantsJson } from './diff.js';
export { GRANTS_TABLE, MemoryGrantsStore, OpsGrantsStore, SqlGrantsStore, syncGrants, type GrantsStore } from './stores.js';
export { parseGrantStatement, parseMetadataStatement, type GrantStatement, type MetadataStatement, type Namespace } from './grant-sql.js';
export { grantsStatementHandler } from './grants-handler.js';
export {
  FORBIDDEN_FUNCTION_PREFIXES,
  FORBIDDEN_FUNCTIONS,
  isForbiddenFunction,
  gateSql,
  type GateAllowed,
  type GateKind,
  type GateOptions,
  type GateRefusal,
  type GateRefusalCode,
  type GateResult,
} from './gate.js';
export { SqlParser, type ParseOutcome } from './sql-parser.js';
export { governedQuery, metadataResult, type GovernedQueryOptions, type MetadataSources } from './governed.js';
export { canonicalSql, type CanonicalSql } from './sql-lexer.js';
export { grantsInLayout, securableInLayout } from './layout.js';
