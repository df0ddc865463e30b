import { PlatformError } from '@odoo-ce/common';

export type CatalogErrorCode =
  /** A policy file (catalogs.yml, principals.yml, grants.yml) is malformed or inconsistent. */
  | 'INVALID_POLICY'
  /** A securable name, privilege or principal given by a caller is not valid. */
  | 'INVALID_ARGUMENT'
  /** A principal name/application id no policy file declares. */
  | 'UNKNOWN_PRINCIPAL'
  /** A GRANT / REVOKE / SHOW GRANTS statement the grants handler cannot read. */
  | 'INVALID_GRANT_STATEMENT'
  /** The SQL gate refused a statement (see `GateRefusal.code` for why). */
  | 'STATEMENT_REFUSED';

/** Every failure of the catalog lib; `data` names the file, path, value and what was expected. */
export class CatalogError extends PlatformError<CatalogErrorCode> {}
