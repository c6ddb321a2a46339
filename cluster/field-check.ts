// Field checks for the small JSON files of the cluster (a node's config, a
// hand-run cluster's state file): each throws FieldInvalid naming the field
// and the value received, and the file's parser turns it into an error value.

export class FieldInvalid extends Error {}

export function fieldObject(raw: unknown, where: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new FieldInvalid(`${where}: expected an object, got ${fieldBrief(raw)}`);
  return raw as Record<string, unknown>;
}

export function fieldList(raw: unknown, where: string, lengthMax: number): readonly unknown[] {
  if (!Array.isArray(raw)) throw new FieldInvalid(`${where}: expected a list, got ${fieldBrief(raw)}`);
  if (raw.length > lengthMax) throw new FieldInvalid(`${where}: more than ${lengthMax} entries`);
  return raw;
}

export function fieldText(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || raw === '')
    throw new FieldInvalid(`${where}: expected a non-empty string, got ${fieldBrief(raw)}`);
  return raw;
}

export function fieldInteger(raw: unknown, where: string, min: number, max: number): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max)
    throw new FieldInvalid(`${where}: expected an integer from ${min} to ${max}, got ${fieldBrief(raw)}`);
  return raw;
}

/** A value as a message shows it: JSON, cut short. */
export function fieldBrief(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return typeof value;
  return JSON.stringify(value).slice(0, 80);
}
