// Which campaign a campaign directory belongs to: its name, the file it came
// from and a hash of that file's text, written when the directory is made, so
// that `--resume` of a directory with another campaign, or with the file
// changed under it, is refused instead of mixing two campaigns' results.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Campaign } from './campaign-parse.js';

export const campaignIdentityFile = 'campaign.json';

interface Identity {
  readonly campaign: string;
  readonly file: string;
  /** sha256 of the campaign file's text, hex. */
  readonly sha256: string;
}

export type IdentityCheck = { readonly ok: true } | { readonly ok: false; readonly error: string };

export function campaignIdentityWrite(
  dir: string,
  campaign: Pick<Campaign, 'name' | 'sourceSha256'>,
  file: string,
): void {
  const identity: Identity = { campaign: campaign.name, file, sha256: campaign.sourceSha256 };
  const target = path.join(dir, campaignIdentityFile);
  writeFileSync(`${target}.tmp`, `${JSON.stringify(identity, null, 2)}\n`);
  renameSync(`${target}.tmp`, target);
}

/**
 * A directory made before the identity was recorded is checked by the name its summary holds
 * (`storedName`), and then gets its identity.
 */
export function campaignIdentityCheck(
  dir: string,
  campaign: Campaign,
  file: string,
  storedName: { readonly campaign: string; readonly file: string },
): IdentityCheck {
  const target = path.join(dir, campaignIdentityFile);
  const stored = existsSync(target) ? identityRead(target) : { ok: true as const, identity: null };
  if (!stored.ok) return stored;
  const identity = stored.identity ?? { ...storedName, sha256: null };
  if (identity.campaign !== campaign.name)
    return {
      ok: false,
      error: `--resume ${dir}: it holds campaign ${identity.campaign} (${identity.file}), not ${campaign.name} (${file})`,
    };
  if (identity.sha256 !== null && identity.sha256 !== campaign.sourceSha256)
    return {
      ok: false,
      error: `--resume ${dir}: campaign ${campaign.name}'s file changed since the campaign started (sha256 ${identity.sha256.slice(0, 12)}, now ${campaign.sourceSha256.slice(0, 12)}); start a new campaign instead`,
    };
  if (stored.identity === null) campaignIdentityWrite(dir, campaign, file);
  return { ok: true };
}

function identityRead(
  file: string,
): { readonly ok: true; readonly identity: Identity } | { readonly ok: false; readonly error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { ok: false, error: `${file}: cannot read: ${(error as Error).message}` };
  }
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  for (const field of ['campaign', 'file', 'sha256'] as const)
    if (typeof record[field] !== 'string') return { ok: false, error: `${file}: ${field}: expected a string` };
  return { ok: true, identity: record as unknown as Identity };
}
