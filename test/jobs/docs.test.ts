import { readFileSync } from 'fs';
import { join } from 'path';
import { format } from 'util';
import * as ts from 'typescript';
import * as jobs from '../../lib/jobs';

/** The `ts` blocks of docs/jobs.md, with what each console.log line says it prints (same-line or following `//`). */
function examples(): Array<{ code: string; expected: string[] }> {
  const md = readFileSync(join(__dirname, '..', '..', 'docs', 'jobs.md'), 'utf8');
  return [...md.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => {
    const lines = m[1].split('\n');
    const expected: string[] = [];
    lines.forEach((line, i) => {
      if (!line.includes('console.log(')) return;
      const same = /\);\s*\/\/ (.*)$/.exec(line);
      if (same) return void expected.push(same[1]);
      const next: string[] = [];
      for (let j = i + 1; j < lines.length && lines[j].trim().startsWith('//'); j++) next.push(lines[j].trim().slice(2));
      expected.push(next.join(' '));
    });
    return { code: m[1], expected };
  });
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('docs/jobs.md examples', () => {
  const blocks = examples();

  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))('example %d runs as written and prints what it says', (_, { code, expected }) => {
    // GIVEN the block compiled as a user would, importing the package root
    const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
    const printed: string[] = [];
    const fakeRequire = (name: string) => {
      if (name !== 'ros-cdk-iproduction') throw new Error(`example imports ${name}`);
      return jobs;
    };
    // WHEN it runs
    new Function('require', 'console', 'exports', js)(fakeRequire, { log: (...args: unknown[]) => printed.push(format(...args)) }, {});
    // THEN each console.log printed what its comment says
    expect(printed.map(squash)).toEqual(expected.map(squash));
  });
});
