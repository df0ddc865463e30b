import { PlatformError } from '@odoo-ce/common';

export type WarehouseErrorCode =
  | 'AUTH_FAILED'
  | 'CONNECTION_FAILED'
  | 'QUERY_FAILED'
  | 'QUERY_TIMEOUT'
  | 'QUERY_CANCELLED'
  | 'INVALID_SQL'
  | 'INVALID_IDENTIFIER'
  | 'TEMPLATE_ERROR'
  | 'NOT_SUPPORTED'
  | 'CLOSED';

/**
 * Every failure of the warehouse lib. Engine errors keep the engine's own message (and SQLSTATE
 * in `data.sqlState` when the engine reports one); `data.statement` holds the 1-based statement
 * index of a script and `data.file` the SQL file, when known.
 */
export class WarehouseError extends PlatformError<WarehouseErrorCode> {}
