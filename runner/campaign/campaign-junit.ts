// junit.xml of a campaign: one testcase per test, a failure when its verdict
// differs from the expected one (the checkers' summary as the message, the
// report's path in the body), skipped for tests an interruption left unrun. A
// hunt gets a case of its own: the seed that caught it and the shrunk schedule.
// Pure: the summary in, the XML out.

import { huntLine, type CampaignSummary, type HuntSummary, type TestRecord } from './campaign-summary.js';

export function junitRender(summary: CampaignSummary): string {
  const seconds = summary.tests.reduce((sum, test) => sum + (test.durationMs ?? 0), 0) / 1000;
  const skipped = summary.tests.filter((test) => test.status === 'pending').length;
  const hunt = summary.hunt;
  // In a hunt each verdict is an observation; the hunt's own case fails when it did not end as expected.
  const cases =
    hunt === undefined
      ? summary.tests.map(testcase)
      : [
          huntTestcase(summary.campaign, hunt),
          ...summary.tests.map((test) => testcase({ ...test, matches: test.verdict !== 'crashed' })),
        ];
  const failures =
    hunt === undefined
      ? summary.mismatched
      : summary.tests.filter((test) => test.verdict === 'crashed').length + (huntAsExpected(hunt) ? 0 : 1);
  const attrs = `name="${xml(summary.campaign)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds.toFixed(3)}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites ${attrs}>
  <testsuite ${attrs} timestamp="${xml(summary.startedAt)}">
${cases.join('\n')}
  </testsuite>
</testsuites>
`;
}

function testcase(test: TestRecord): string {
  const head = `    <testcase classname="${xml(`quorumlab.${test.workload}.${test.runtime}`)}" name="${xml(test.id)}" time="${((test.durationMs ?? 0) / 1000).toFixed(3)}"`;
  if (test.status === 'pending')
    return `${head}>\n      <skipped message="${test.message === '' ? 'not run: the campaign was interrupted or filtered, or its hunt ended first' : xml(test.message)}"/>\n    </testcase>`;
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

function huntAsExpected(hunt: HuntSummary): boolean {
  return hunt.caught === (hunt.expect === 'caught');
}

/** The hunt as one case: the seed that caught it and the shrunk schedule, or how many seeds it tried. */
function huntTestcase(campaign: string, hunt: HuntSummary): string {
  const head = `    <testcase classname="quorumlab.hunt" name="${xml(`${campaign}: hunt`)}" time="0.000"`;
  const shrink = hunt.shrink;
  const body = [
    huntLine(hunt),
    shrink === null
      ? 'shrink: not run'
      : `shrink: ${shrink.status}: ${shrink.message}${shrink.faults.length === 0 ? '' : `; faults kept: ${shrink.faults.join(', ')}`}`,
    ...(shrink?.schedule === null || shrink === null ? [] : [`schedule: ${shrink.schedule}`]),
    ...(shrink?.command === null || shrink === null ? [] : [`reproduce: ${shrink.command}`]),
  ].join('\n');
  if (huntAsExpected(hunt)) return `${head}>\n      <system-out>${xml(body)}</system-out>\n    </testcase>`;
  const message = `expected the hunt to end ${hunt.expect}; ${huntLine(hunt)}`;
  return `${head}>\n      <failure message="${xml(message)}" type="hunt">${xml(body)}</failure>\n    </testcase>`;
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
