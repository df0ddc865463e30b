/** What duplicate-payment detection needs of a transaction. */
export interface PaymentRef {
  readonly id: string;
  readonly vendor: string;
  /** Exact amount as text (centavos matter): `'1250.00'`. */
  readonly amount: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
}

export interface DuplicateMatch {
  readonly id: string;
  readonly duplicateOf: string;
  readonly daysApart: number;
}

const DAY = 86_400_000;

/**
 * Possible duplicate payments: the same vendor (case/space-insensitive) and exactly the same amount
 * within `maxDays` days of an earlier payment (ties broken by id). The later one is reported, with
 * the earliest payment it repeats.
 */
export function findDuplicatePayments(rows: readonly PaymentRef[], maxDays = 3): DuplicateMatch[] {
  const groups = new Map<string, PaymentRef[]>();
  for (const row of rows) {
    const key = `${row.vendor.trim().toUpperCase().replace(/\s+/g, ' ')}|${Number(row.amount).toFixed(2)}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(row);
  }
  const out: DuplicateMatch[] = [];
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (let i = 1; i < list.length; i++) {
      const row = list[i] as PaymentRef;
      const t = Date.parse(row.date);
      for (let j = 0; j < i; j++) {
        const earlier = list[j] as PaymentRef;
        const days = Math.round((t - Date.parse(earlier.date)) / DAY);
        if (days <= maxDays) {
          out.push({ id: row.id, duplicateOf: earlier.id, daysApart: days });
          break;
        }
      }
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
