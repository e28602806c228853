import { readFileSync } from 'fs';
import { join } from 'path';
import { format } from 'util';
import * as ts from 'typescript';

/** The `ts` blocks of docs/local-endpoint.md and what each console.log says it prints (same line or next `//` lines). */
function examples(): Array<{ code: string; expected: string[] }> {
  const md = readFileSync(join(__dirname, '..', '..', 'docs', 'local-endpoint.md'), 'utf8');
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

/** The imports a reader's copy resolves: the package root, the endpoint from the repository root, and the SDK. */
const MODULES: Record<string, () => unknown> = {
  'ros-cdk-iproduction': () => require('../../lib'),
  './test/endpoint': () => require('./index'),
  '@alicloud/openapi-client': () => require('@alicloud/openapi-client'),
  '@alicloud/tea-util': () => require('@alicloud/tea-util'),
};

describe('docs/local-endpoint.md examples', () => {
  const blocks = examples();

  it('has the three examples', () => {
    expect(blocks).toHaveLength(3);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))('example %d runs as written and prints what it says', async (_, { code, expected }) => {
    // GIVEN the block as a user would compile it; its closing `main();` is awaited so the test sees the end
    expect(code).toMatch(/^main\(\);$/m);
    const js = ts.transpileModule(code.replace(/^main\(\);$/m, 'exports.done = main();'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
    }).outputText;
    const printed: string[] = [];
    const fakeRequire = (name: string) => {
      const load = MODULES[name];
      if (!load) throw new Error(`example imports ${name}`);
      return load();
    };
    const exported: { done?: Promise<void> } = {};
    // WHEN it runs
    new Function('require', 'console', 'exports', js)(fakeRequire, { log: (...args: unknown[]) => printed.push(format(...args)) }, exported);
    await exported.done;
    // THEN each console.log printed what its comment says
    expect(printed.map(squash)).toEqual(expected.map(squash));
  });
});
