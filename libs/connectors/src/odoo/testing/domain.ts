/** An Odoo exception raised by the fake server: becomes the error envelope (`data.name`, `data.message`). */
export class FakeOdooException extends Error {
  constructor(
    readonly odooName: string,
    message: string,
  ) {
    super(message);
  }
}

type Node = { kind: 'and' | 'or'; left: Node; right: Node } | { kind: 'not'; child: Node } | { kind: 'leaf'; term: readonly unknown[] };

/** Operators of brief §3.3 that the fake server evaluates. */
export const DOMAIN_OPERATORS = ['=', '!=', '<>', '<', '<=', '>', '>=', '=?', '=like', '=ilike', 'like', 'not like', 'ilike', 'not ilike', 'in', 'not in', 'child_of', 'parent_of'] as const;

/**
 * Parses a domain in prefix notation (`&`, `|`, `!`, implicit AND between consecutive terms) into
 * a tree; throws a `builtins.ValueError` FakeOdooException for malformed domains.
 */
export function parseDomain(domain: unknown): Node | null {
  if (domain === undefined || domain === null || domain === false) return null;
  if (!Array.isArray(domain)) throw new FakeOdooException('builtins.ValueError', `Invalid domain: ${JSON.stringify(domain)}`);
  if (domain.length === 0) return null;
  const stack: Node[] = [];
  for (let i = domain.length - 1; i >= 0; i--) {
    const item: unknown = domain[i];
    if (item === '&' || item === '|') {
      const left = stack.pop();
      const right = stack.pop();
      if (!left || !right) throw new FakeOdooException('builtins.ValueError', `Invalid domain: operator "${item}" lacks operands in ${JSON.stringify(domain)}`);
      stack.push({ kind: item === '&' ? 'and' : 'or', left, right });
    } else if (item === '!') {
      const child = stack.pop();
      if (!child) throw new FakeOdooException('builtins.ValueError', `Invalid domain: "!" lacks an operand in ${JSON.stringify(domain)}`);
      stack.push({ kind: 'not', child });
    } else if (Array.isArray(item) && item.length === 3) {
      stack.push({ kind: 'leaf', term: item });
    } else {
      throw new FakeOdooException('builtins.ValueError', `Invalid leaf ${JSON.stringify(item)}`);
    }
  }
  // Implicit AND of what is left (the stack top is the first term).
  let node = stack.pop() as Node;
  while (stack.length > 0) node = { kind: 'and', left: node, right: stack.pop() as Node };
  return node;
}

/** The field names a domain mentions (first path segment). */
export function domainFields(domain: unknown): string[] {
  if (!Array.isArray(domain)) return [];
  return domain.filter((t): t is unknown[] => Array.isArray(t) && typeof t[0] === 'string').map((t) => String(t[0]).split('.')[0] as string);
}

/**
 * Evaluates a domain against a record as `search_read` renders it (many2one `[id, name]`,
 * `false` = NULL). `hasField` decides unknown fields (→ `builtins.ValueError`).
 */
export function evaluateDomain(node: Node | null, record: Readonly<Record<string, unknown>>, hasField: (name: string) => boolean, model = 'model'): boolean {
  if (!node) return true;
  switch (node.kind) {
    case 'and': return evaluateDomain(node.left, record, hasField, model) && evaluateDomain(node.right, record, hasField, model);
    case 'or': return evaluateDomain(node.left, record, hasField, model) || evaluateDomain(node.right, record, hasField, model);
    case 'not': return !evaluateDomain(node.child, record, hasField, model);
    case 'leaf': return evaluateTerm(node.term, record, hasField, model);
  }
}

function evaluateTerm(term: readonly unknown[], record: Readonly<Record<string, unknown>>, hasField: (name: string) => boolean, model: string): boolean {
  const [path, rawOp, value] = term as [unknown, unknown, unknown];
  if (path === 1 && rawOp === '=' && value === 1) return true;
  if (path === 0 && rawOp === '=' && value === 1) return false;
  if (typeof path !== 'string' || typeof rawOp !== 'string') throw new FakeOdooException('builtins.ValueError', `Invalid leaf ${JSON.stringify(term)}`);
  const op = rawOp.toLowerCase();
  if (!(DOMAIN_OPERATORS as readonly string[]).includes(op)) throw new FakeOdooException('builtins.ValueError', `Invalid operator ${JSON.stringify(rawOp)} in domain term ${JSON.stringify(term)}`);
  const [field, sub, ...rest] = path.split('.');
  if (!field || !hasField(field) || rest.length > 0) throw new FakeOdooException('builtins.ValueError', `Invalid field '${path}' on model '${model}'`);
  let actual = record[field];
  if (sub !== undefined) {
    if (!(Array.isArray(actual) || actual === false)) throw new FakeOdooException('builtins.ValueError', `Invalid field '${path}' on model '${model}'`);
    if (sub === 'id') actual = Array.isArray(actual) ? actual[0] : false;
    else if (sub === 'name' || sub === 'display_name') actual = Array.isArray(actual) ? actual[1] : false;
    else throw new FakeOdooException('builtins.ValueError', `Invalid field '${path}' on model '${model}' (the fake server follows many2one paths to .id and .name only)`);
  }
  return compare(actual, op, value);
}

/** A scalar view of a value: many2one → id (or name when compared with a string), false → null. */
function scalar(actual: unknown, against: unknown): unknown {
  if (actual === false || actual === undefined) return null;
  if (Array.isArray(actual) && actual.length === 2 && typeof actual[0] === 'number' && typeof actual[1] === 'string') {
    return typeof against === 'string' ? actual[1] : actual[0];
  }
  return actual;
}

function likeToRegExp(pattern: string, wrap: boolean, insensitive: boolean): RegExp {
  let source = '';
  for (const ch of pattern) source += ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(wrap ? source : `^${source}$`, insensitive ? 'is' : 's');
}

function compare(actual: unknown, op: string, value: unknown): boolean {
  // x2many: a list of ids matches when any id matches.
  if (Array.isArray(actual) && !(actual.length === 2 && typeof actual[1] === 'string')) {
    if (op === 'in') return Array.isArray(value) && actual.some((id) => value.includes(id));
    if (op === 'not in') return !(Array.isArray(value) && actual.some((id) => value.includes(id)));
    if (op === '=') return value === false ? actual.length === 0 : actual.includes(value);
    if (op === '!=') return value === false ? actual.length > 0 : !actual.includes(value);
    return actual.some((id) => compare(id, op, value));
  }
  const a = scalar(actual, Array.isArray(value) ? value[0] : value);
  const v = value === false ? null : value;
  switch (op) {
    case '=': return a === v || (typeof a === 'number' && typeof v === 'number' && a === v);
    case '!=': case '<>': return a !== v;
    case '=?': return v === null || v === undefined ? true : a === v;
    case '<': return a !== null && v !== null && (a as number | string) < (v as number | string);
    case '<=': return a !== null && v !== null && (a as number | string) <= (v as number | string);
    case '>': return a !== null && v !== null && (a as number | string) > (v as number | string);
    case '>=': return a !== null && v !== null && (a as number | string) >= (v as number | string);
    case 'in': case 'child_of': case 'parent_of': {
      const list = Array.isArray(value) ? value : [value];
      return list.some((x) => (x === false ? a === null : a === x));
    }
    case 'not in': {
      const list = Array.isArray(value) ? value : [value];
      return !list.some((x) => (x === false ? a === null : a === x));
    }
    case 'like': case 'ilike': case 'not like': case 'not ilike': {
      if (v === null) return op.startsWith('not') ? a !== null : a === null; // `like false` means unset in Odoo
      const matches = a !== null && likeToRegExp(`%${String(v)}%`, true, op.includes('ilike')).test(String(a));
      return op.startsWith('not') ? !matches : matches;
    }
    case '=like': case '=ilike': return a !== null && v !== null && likeToRegExp(String(v), false, op === '=ilike').test(String(a));
    default: return false;
  }
}
