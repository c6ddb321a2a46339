// What a transactional check is asked to judge, parsed once from the
// --consistency token: model names (comma-separated), `anomalies=NAME` (that
// anomaly and every one implying it), `detector=NAME` (one detector alone),
// or `none` (nothing is forbidden; only unknowns are reported).

import { isAnomalyName, modelNamed, modelNamesKnown } from './consistency-models.js';

export const detectorNames = ['g1a-cases', 'g1b-cases', 'internal-cases'] as const;

export type DetectorName = (typeof detectorNames)[number];

export type CheckScope =
  | { readonly kind: 'models'; readonly models: readonly string[]; readonly anomalies: readonly string[] }
  | { readonly kind: 'detector'; readonly detector: DetectorName };

export type CheckScopeParse =
  { readonly ok: true; readonly scope: CheckScope } | { readonly ok: false; readonly error: string };

export function checkScopeParse(token: string): CheckScopeParse {
  const parts = token
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0)
    return { ok: false, error: 'expected a consistency model, anomalies=NAME, detector=NAME or none' };
  const models: string[] = [];
  const anomalies: string[] = [];
  for (const part of parts) {
    if (part === 'none') continue;
    if (part.startsWith('detector=')) {
      const detector = part.slice('detector='.length);
      if (parts.length > 1) return { ok: false, error: `"${part}" runs one detector alone; it takes no other token` };
      if (!(detectorNames as readonly string[]).includes(detector)) {
        return { ok: false, error: `unknown detector "${detector}" (detectors: ${detectorNames.join(', ')})` };
      }
      return { ok: true, scope: { kind: 'detector', detector: detector as DetectorName } };
    }
    if (part.startsWith('anomalies=')) {
      const anomaly = part.slice('anomalies='.length);
      if (!isAnomalyName(anomaly)) return { ok: false, error: `unknown anomaly "${anomaly}"` };
      anomalies.push(anomaly);
      continue;
    }
    const model = modelNamed(part);
    if (model === null) {
      return { ok: false, error: `unknown consistency model "${part}" (models: ${modelNamesKnown.join(', ')})` };
    }
    models.push(model);
  }
  return { ok: true, scope: Object.freeze({ kind: 'models', models, anomalies }) };
}
