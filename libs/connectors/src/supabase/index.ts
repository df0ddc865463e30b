/**
 * `@odoo-ce/connectors/supabase` — Scout transactions from Supabase's Postgres (`pg`) into
 * `bronze.scout.transactions`: keyset incremental on `(updated_at, id)`, idempotent, crash-safe.
 */
export { scrub, SupabaseError, toSupabaseError, type SupabaseErrorCode } from './errors.js';
export { loadSupabaseSettings, maskDbUrl, type SupabaseSettings, type SupabaseSslMode } from './settings.js';
export {
  pgClientConfig,
  pgTimestampToIso,
  readWatermark,
  rewindIso,
  syncSupabaseTransactions,
  type SupabaseSyncOptions,
  type SupabaseSyncResult,
  type SupabaseWatermark,
} from './sync.js';
