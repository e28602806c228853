import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { FUNCTION_NAMES, ICE_FUNCTIONS, MTS_FUNCTIONS } from '../../lib/jobs';
import { POLICY_RULES, SUPPRESSION_RULES } from '../../lib/policy';
import { ROOT } from '../support/checkout';
import { docFiles } from '../support/doc-examples';

/**
 * The README and docs/*.md say each thing once: the README keeps the quick start and a short section per area that
 * links to the page holding the detail. What derives from data (the functions table, the policy rules) is generated
 * and checked elsewhere (test/jobs/catalogue.test.ts, test/policy/docs.test.ts); this test keeps copies from creeping
 * back in between the pages.
 */

/** Runs this long of identical text lines in two pages are a copied passage. */
const RUN = 3;

interface Text {
  readonly line: number;
  readonly text: string;
}

/** Prose and table lines of a page: code blocks, blank lines, table rules and HTML comments left out. */
function textLines(md: string): Text[] {
  let fenced = false;
  const out: Text[] = [];
  md.split('\n').forEach((raw, i) => {
    if (/^\s*```/.test(raw)) {
      fenced = !fenced;
      return;
    }
    const text = raw.trim();
    if (fenced || text === '' || /^\|[\s:|-]*\|$/.test(text) || /^<!--.*-->$/.test(text)) return;
    out.push({ line: i + 1, text });
  });
  return out;
}

/** Every maximal run of at least RUN lines of `a` that `b` also holds, in the same order. */
function sharedRuns(a: readonly Text[], b: readonly Text[]): { line: number; length: number; first: string }[] {
  const runs: { line: number; length: number; first: string }[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      if (i > 0 && j > 0 && a[i - 1].text === b[j - 1].text) continue;
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k].text === b[j + k].text) k++;
      if (k >= RUN) runs.push({ line: a[i].line, length: k, first: a[i].text.slice(0, 80) });
    }
  }
  return runs;
}

const blocksOf = (md: string) => [...md.matchAll(/```\w*\n([\s\S]*?)```/g)].map((m) => m[1].trim());

const DOCS = docFiles(ROOT).map((doc) => ({ doc, md: readFileSync(join(ROOT, doc), 'utf8') }));
const PAIRS = DOCS.flatMap((a, i) => DOCS.slice(i + 1).map((b) => [a.doc, b.doc, a, b] as const));

describe('docs say each thing once', () => {
  it.each(PAIRS)('%s and %s share no passage of prose or table rows', (_a, _b, a, b) => {
    expect(sharedRuns(textLines(a.md), textLines(b.md)).map((r) => `${a.doc}:${r.line} (${r.length} lines): ${r.first}`)).toEqual([]);
  });

  it.each(PAIRS)('%s and %s show no example twice', (_a, _b, a, b) => {
    const other = new Set(blocksOf(b.md));
    expect(blocksOf(a.md).filter((block) => other.has(block)).map((block) => block.split('\n')[0])).toEqual([]);
  });

  it('finds a copied passage and a copied example (the checks are not vacuous)', () => {
    // GIVEN two pages sharing three table rows and an example
    const table = '| a | b |\n|---|---|\n| one | 1 |\n| two | 2 |\n';
    const example = '```ts\nconsole.log(1);\n```\n';
    // THEN
    expect(sharedRuns(textLines(`# A\n\n${table}\n${example}`), textLines(`# B\n\ntext\n\n${table}`))).toHaveLength(1);
    expect(blocksOf(`x\n${example}`)).toEqual(blocksOf(`y\n\n${example}`));
  });
});

/** Source and doc files a count could be written in (node_modules, build output and fixtures aside). */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (['node_modules', 'dist', 'cdk.out', 'fixtures'].includes(name)) return [];
    if (statSync(p).isDirectory()) return files(p);
    return /\.(ts|md)$/.test(name) ? [p] : [];
  });
}

describe('counts that derive from data are not written down', () => {
  // A total written by hand goes stale when the data grows (the README once said 36 rules while 37 ran). Totals are
  // generated (the README's functions table, docs/policy.md's rules) or left out; the catalogue test holds the
  // catalogue to the seeds' own counts, and is the one place they are written.
  const scanned = ['README.md', ...['docs', 'lib', 'bin', 'scripts', 'bench'].flatMap((d) => files(join(ROOT, d)).map((f) => relative(ROOT, f)))];
  // "18 functions", "15 ICE functions", "36 rules", "37 policy rules"; not "FC 3.0 functions" nor "3 jobs per function"
  const TOTAL = /(?<![.\d])\b\d+\s+(?:(?:intelligent|production|ICE|MPS|policy|template|catalogue|of|the|its)\s+){0,3}(?:functions|rules)\b/i;

  it('no page or source states how many functions or rules there are', () => {
    const found = scanned
      .flatMap((f) => readFileSync(join(ROOT, f), 'utf8').split('\n').map((text, i) => ({ f, line: i + 1, text })))
      .filter(({ text }) => TOTAL.test(text))
      .map(({ f, line, text }) => `${f}:${line}: ${text.trim().slice(0, 100)}`);
    expect(found).toEqual([]);
  });

  it.each([
    [`${FUNCTION_NAMES.length} functions`, true],
    [`the ${ICE_FUNCTIONS.length} ICE functions`, true],
    [`${MTS_FUNCTIONS.length} MPS functions`, true],
    [`${POLICY_RULES.length + SUPPRESSION_RULES.length} rules also cover`, true],
    [`${POLICY_RULES.length} policy rules`, true],
    ['an FC 3.0 functions list', false],
    ['3 more jobs per function', false],
  ])('reads "%s" as a total: %s', (text, total) => {
    expect(TOTAL.test(text)).toBe(total);
  });
});
