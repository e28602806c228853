import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { RUNTIME_ENV } from '../../lib/service';

const LIB = join(__dirname, '../../lib');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Code lines of a file: comments and JSDoc dropped, so a fact may be mentioned in prose but not restated in code. */
function codeLines(file: string): { line: number; text: string }[] {
  return readFileSync(file, 'utf8').split('\n')
    .map((text, i) => ({ line: i + 1, text: text.replace(/\/\/.*$/, '') }))
    .filter(({ text }) => !/^\s*(\/\*\*?|\*)/.test(text));
}

/** Facts that lib/service defines; anywhere else in lib they would be a second copy. */
const FACTS: ReadonlyArray<[string, RegExp]> = [
  ['a RAM action of ice/mts', /['"](ice|mts):(Submit|Query|Get)\w+Job['"]/],
  ['an API version', /['"`](2020-11-09|2014-06-18)['"`]/],
  ['an ice/mts endpoint', /(ice|mts)\.\$\{[^}]+\}\.aliyuncs\.com/],
  ['a documented region list', /['"]cn-shanghai['"],\s*['"]cn-hangzhou['"]/],
  ['the region id rule', /\[a-z\]\{2,\}\(\?:?-\[a-z0-9\]\+\)\+/],
  ['a ROS template limit', /\b524_?288\b/],
  ['a RAM document limit', /\b6_?144\b/],
  ['a runtime env var name', new RegExp(`['"\`](${Object.values(RUNTIME_ENV).join('|')})['"\`]`)],
  ['the suppression metadata key', /['"`]iprod:suppressions['"`]/],
  ['a pipeline id rule', /\[A-Za-z0-9_?-?\]\{1,64\}/],
  ['a QPS table', /SubmitIProductionJob:\s*\d+/],
  ['a QPS limit in prose', /\b\d+\s*QPS\b/],
  ['the ICE callback queue prefix', /['"`]ice-callback/],
  ['an MNS name rule', /\[A-Za-z\]\[A-Za-z0-9-\]/],
  // An action a grant gives (`'oss:GetObject'`); a condition key used as an object key (`'oss:Prefix': ...`) is not one.
  ['a RAM action of oss/mns/fc/ots', /['"](oss|mns|fc|ots):[A-Z][A-Za-z]+['"](?!\s*:)/],
];

describe('one fact, one place', () => {
  // lib/testing is the local endpoint that stands in for the cloud: it keeps its own copy of the service's facts on
  // purpose, so a wrong fact in lib/service fails a test against it instead of agreeing with itself.
  const files = sources(LIB).filter((f) => !/^(service|testing)\b/.test(relative(LIB, f)));

  it.each(FACTS)('only lib/service writes %s', (_what, pattern) => {
    const copies = files.flatMap((f) => codeLines(f).filter(({ text }) => pattern.test(text))
      .map(({ line, text }) => `${relative(LIB, f)}:${line}: ${text.trim()}`));
    expect(copies).toEqual([]);
  });

  it('finds the facts it guards in lib/service (the patterns are not stale)', () => {
    const service = sources(join(LIB, 'service')).map((f) => readFileSync(f, 'utf8')).join('\n');
    const missing = FACTS.filter(([what, pattern]) => what !== 'a RAM action of ice/mts' && what !== 'a QPS table'
      && what !== 'an ice/mts endpoint' && !pattern.test(service)).map(([what]) => what);
    expect(missing).toEqual([]);
  });
});
