// One edit of a parsed JSON file for the schema tests: set the value at a path
// (field names and array indices), or delete it when the value is undefined.

export type JsonPath = readonly (string | number)[];

export function jsonEdited(text: string, at: JsonPath, value: unknown): string {
  const root = JSON.parse(text) as unknown;
  const parent = at.slice(0, -1).reduce<unknown>((node, step) => (node as Record<string, unknown>)[step], root);
  const last = at[at.length - 1];
  if (typeof parent !== 'object' || parent === null || last === undefined)
    throw new Error(`no JSON object at ${at.join('.')}`);
  const target = parent as Record<string, unknown>;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return JSON.stringify(root);
}
