// Escaping and small formatting helpers shared by the report and the campaign
// index pages: every value from a run (names, keys, operation values, node log
// lines) goes through them before it lands in HTML.

const htmlEscapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => htmlEscapes[char] ?? char);
}

/**
 * JSON for a <script type="application/json"> block: `<` is written as its
 * escape, so no value can close the script element or open a comment.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Third-party script text inlined in a page; only a literal closing tag could end the element early. */
export function scriptForInline(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

/** Milliseconds from microseconds, three significant figures: what a person compares. */
export function msText(us: number | null | undefined): string {
  if (us === null || us === undefined || !Number.isFinite(us)) return '–';
  const ms = us / 1000;
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

export function percentText(fraction: number | null | undefined): string {
  return fraction === null || fraction === undefined || !Number.isFinite(fraction)
    ? 'n/a'
    : `${(fraction * 100).toFixed(1)}%`;
}

/** Seconds since the run started, from nanoseconds. */
export function secondsText(ns: number | null | undefined): string {
  return ns === null || ns === undefined ? '–' : `${(ns / 1e9).toFixed(1)} s`;
}

export function durationText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A JSON value shortened for a table cell; the full value stays in the history. */
export function valueText(value: unknown, charsMax = 120): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
  return text.length > charsMax ? `${text.slice(0, charsMax - 1)}…` : text;
}

/** One argument as a POSIX shell word: quoted when it holds anything a shell would read specially. */
export function shellWord(arg: string): string {
  if (/^[A-Za-z0-9_./:=,+@%-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function verdictClass(verdict: string): string {
  return ['valid', 'invalid', 'unknown', 'crashed'].includes(verdict) ? `verdict-${verdict}` : 'verdict-unknown';
}
