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
  grantKey,
  NAME_PARTS,
  NOT_IN_ALL_PRIVILEGES,
  parsePrivilege,
  parseSecurableType,
  privilegeToApi,
  PRIVILEGES,
  SECURABLE_TYPES,
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
export { declaredSecurables, loadPolicy, parsePolicy, parseSecurableText, type CatalogTree, type Policy, type PolicySources } from './policy.js';
export { describeMissing, GrantEvaluator, type Access, type AccessDecision, type EffectivePrivilege, type MissingPrivilege } from './evaluator.js';
export { applyChanges, changeToSql, diffGrants, quoteIdentifierPart, quotePrincipal, securableSql, toTerraformGrants, type TerraformGrantsJson } from './diff.js';
export { GRANTS_TABLE, MemoryGrantsStore, OpsGrantsStore, SqlGrantsStore, syncGrants, type GrantsStore } from './stores.js';
export { parseGrantStatement, parseMetadataStatement, resolveName, type GrantStatement, type MetadataStatement, type Namespace } from './grant-sql.js';
export { grantsStatementHandler, SHOW_GRANTS_COLUMNS, showGrantsRows, type InterceptedResult, type StatementHandler } from './grants-handler.js';
export {
  FORBIDDEN_FUNCTION_PREFIXES,
  FORBIDDEN_FUNCTIONS,
  isForbiddenFunction,
  gateSql,
  SAFE_TABLE_FUNCTIONS,
  type GateAllowed,
  type GateKind,
  type GateOptions,
  type GateRefusal,
  type GateRefusalCode,
  type GateResult,
} from './gate.js';
export { SqlParser, sharedSqlParser, type ParseOutcome } from './sql-parser.js';
export { governedQuery, metadataResult, type GovernedQueryOptions, type MetadataSources } from './governed.js';
export { canonicalSql, toDuckDbSpelling, type CanonicalSql } from './sql-lexer.js';
export { grantsInLayout, securableInLayout } from './layout.js';
