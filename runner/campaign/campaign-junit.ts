// junit.xml of a campaign: one testcase per test, a failure when its verdict
// differs from the expected one (the checkers' summary as the message, the
// report's path in the body), skipped for tests an interruption left unrun.
// Pure: the summary in, the XML out.

import type { CampaignSummary, TestRecord } from './campaign-summary.js';

export function junitRender(summary: CampaignSummary): string {
  const seconds = summary.tests.reduce((sum, test) => sum + (test.durationMs ?? 0), 0) / 1000;
  const skipped = summary.tests.filter((test) => test.status === 'pending').length;
  const attrs = `name="${xml(summary.campaign)}" tests="${summary.total}" failures="${summary.mismatched}" errors="0" skipped="${skipped}" time="${seconds.toFixed(3)}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites ${attrs}>
  <testsuite ${attrs} timestamp="${xml(summary.startedAt)}">
${summary.tests.map(testcase).join('\n')}
  </testsuite>
</testsuites>
`;
}

function testcase(test: TestRecord): string {
  const head = `    <testcase classname="${xml(`quorumlab.${test.workload}.${test.runtime}`)}" name="${xml(test.id)}" time="${((test.durationMs ?? 0) / 1000).toFixed(3)}"`;
  if (test.status === 'pending')
    return `${head}>\n      <skipped message="not run: the campaign was interrupted or filtered"/>\n    </testcase>`;
  const report = `report: ${test.report ?? '(none written)'}\nrun: ${test.runDir ?? '(none)'}\nlog: ${test.log ?? '(none)'}`;
  const checkers = test.checkers
    .map((checker) => `${checker.verdict.padEnd(8)} ${checker.checker}: ${checker.summary}`)
    .join('\n');
  if (test.matches === true)
    return `${head}>\n      <system-out>${xml(`${report}\n${checkers}`)}</system-out>\n    </testcase>`;
  const message = `expected ${test.expect}, got ${test.verdict ?? '?'}: ${test.message}`;
  return `${head}>
      <failure message="${xml(message)}" type="${test.verdict === 'crashed' ? 'crashed' : 'verdict-mismatch'}">${xml(`${message}\n${report}\n${checkers}`)}</failure>
    </testcase>`;
}

/** Escapes for attribute and text content; characters XML 1.0 cannot hold at all are dropped. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
