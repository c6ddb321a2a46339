// Reads a run's latency.hdr back, to tell whether it is whole: the report
// points readers at it for the encoded histograms, so a rebuild over a damaged
// one says so. The reader skips lines it cannot decode, so every data line
// must come back as a histogram.

import { HistogramLogReader } from 'hdr-histogram-js';

/** null when every histogram line decodes; otherwise what is wrong, for a one-line warning. */
export function latencyHdrProblem(text: string): string | null {
  const lines = text.split('\n').filter((line) => line.trim().length > 0);
  if (!lines[0]?.startsWith('#[Histogram log format version')) return 'not an HdrHistogram log (no format line)';
  const dataLines = lines.filter((line) => !line.startsWith('#') && !line.startsWith('"StartTimestamp"')).length;
  let decoded = 0;
  try {
    const reader = new HistogramLogReader(text);
    for (let i = 0; i <= dataLines && reader.nextIntervalHistogram() !== null; i++) decoded++;
  } catch (error) {
    return `a histogram does not decode: ${(error as Error).message}`;
  }
  if (decoded !== dataLines) return `${dataLines - decoded} of ${dataLines} histogram lines do not decode`;
  return null;
}
