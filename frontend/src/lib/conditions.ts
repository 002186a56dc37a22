// The condition builder's model: rows of (slot, operator, value) joined by one of AND / OR.
// Anything the builder cannot represent exactly stays in raw mode, validated by the server.

export const OPERATORS = ['is', 'is not', '>', '>=', '<', '<=', 'contains', 'matches', 'is set', 'is not set'] as const;
export type Operator = (typeof OPERATORS)[number];

export interface ConditionRow {
  slot: string;
  op: Operator;
  value: string;
}

export interface BuiltCondition {
  rows: ConditionRow[];
  join: 'and' | 'or';
}

const UNARY: Partial<Record<Operator, string>> = { 'is set': 'is not null', 'is not set': 'is null' };
const LITERAL = /^(-?\d+(\.\d+)?|true|false|null)$/i;

export function formatValue(value: string): string {
  const v = value.trim();
  if (LITERAL.test(v)) return v.toLowerCase() === v ? v : v.toLowerCase();
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function buildCondition(built: BuiltCondition): string {
  return built.rows
    .filter((r) => r.slot)
    .map((r) => {
      const unary = UNARY[r.op];
      if (unary) return `slots.${r.slot} ${unary}`;
      if (r.op === 'contains') return `slots.${r.slot} contains ${formatValue(r.value)}`;
      return `slots.${r.slot} ${r.op} ${formatValue(r.value)}`;
    })
    .join(` ${built.join} `);
}

function splitOutsideQuotes(expr: string, word: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (expr.startsWith(` ${word} `, i)) {
      parts.push(expr.slice(start, i));
      start = i + word.length + 2;
      i = start - 1;
    }
  }
  parts.push(expr.slice(start));
  return parts.map((p) => p.trim());
}

const ROW = /^slots\.([A-Za-z_][A-Za-z0-9_-]*)\s+(is not null|is null|is not|is|>=|<=|>|<|contains|matches)\s*(.*)$/;

function parseValue(raw: string): string | null {
  const v = raw.trim();
  if (LITERAL.test(v)) return v;
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(v) ?? /^'((?:[^'\\]|\\.)*)'$/.exec(v);
  return m ? m[1].replace(/\\(.)/g, '$1') : null;
}

/** Rows for a condition string, or null when only raw mode can show it faithfully. */
export function parseCondition(expr: string): BuiltCondition | null {
  const text = expr.trim();
  if (!text) return { rows: [], join: 'and' };
  if (/[()]/.test(text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ''))) return null;
  const ands = splitOutsideQuotes(text, 'and');
  const ors = splitOutsideQuotes(text, 'or');
  if (ands.length > 1 && ors.length > 1) return null;
  const join = ors.length > 1 ? 'or' : 'and';
  const rows: ConditionRow[] = [];
  for (const part of join === 'or' ? ors : ands) {
    const m = ROW.exec(part);
    if (!m) return null;
    const [, slot, op, rest] = m;
    if (op === 'is not null' || op === 'is null') {
      if (rest.trim()) return null;
      rows.push({ slot, op: op === 'is null' ? 'is not set' : 'is set', value: '' });
      continue;
    }
    const value = parseValue(rest);
    if (value === null) return null;
    rows.push({ slot, op: op as Operator, value });
  }
  const rebuilt = buildCondition({ rows, join });
  // Only accept what prints back identically, so switching modes never rewrites a condition.
  return normalizeSpaces(rebuilt) === normalizeSpaces(text) ? { rows, join } : null;
}

function normalizeSpaces(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/'((?:[^'\\]|\\.)*)'/g, '"$1"');
}
