import type { Bundle } from './model.js';

/**
 * The resolved bundle of one target as a single configuration file the Databricks CLI accepts:
 * no `targets`, `bundle` reduced to its file fields, each variable's resolved value as its
 * `default` (lookup variables keep their `lookup`, resolved at deploy), and the target's `mode`
 * under a single `targets` entry. This is what `deploy bundle render` writes and what the official
 * JSON schema validates.
 */
export function renderBundleConfig(bundle: Bundle): Record<string, unknown> {
  const { bundle: header, variables, ...rest } = bundle.config as { bundle?: Record<string, unknown>; variables?: Record<string, Record<string, unknown>> };
  // `mode`, `target` and `environment` are runtime fields the loader adds; a config file has none.
  const bundleFields = Object.fromEntries(Object.entries(header ?? {}).filter(([k]) => !['mode', 'target', 'environment'].includes(k)));
  const renderedVariables = Object.fromEntries(
    Object.entries(variables ?? {}).map(([name, v]) => {
      const { value, ...fields } = v;
      return [name, 'lookup' in fields ? fields : { ...fields, ...(value !== undefined ? { default: value } : {}) }];
    }),
  );
  return {
    bundle: bundleFields,
    ...rest,
    variables: renderedVariables,
    targets: { [bundle.target]: { default: true, ...(bundle.mode ? { mode: bundle.mode } : {}) } },
  };
}
