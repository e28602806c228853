import { readFileSync } from 'fs';
import { format } from 'util';
import * as ts from 'typescript';

/** A fenced example of a Markdown doc and what each of its `console.log` lines says it prints. */
export interface DocExample {
  readonly code: string;
  /** Same-line `// text` after `console.log(...);`, or the `//` lines that follow it, joined. */
  readonly expected: string[];
}

/** The ```ts blocks of a doc, with their expected output. */
export function docExamples(file: string): DocExample[] {
  const md = readFileSync(file, 'utf8');
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

/** Whitespace-insensitive form for comparing printed output with the doc's comments. */
export const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * Runs an example as a reader would compile it, with `require` answered from `modules` only (an import the doc
 * should not make fails) and `console.log` captured. A closing `main();` is awaited.
 */
export async function runDocExample(code: string, modules: Record<string, () => unknown>): Promise<string[]> {
  const js = ts.transpileModule(code.replace(/^main\(\);$/m, 'exports.done = main();'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
  }).outputText;
  const printed: string[] = [];
  const fakeRequire = (name: string) => {
    const load = modules[name];
    if (!load) throw new Error(`example imports ${name}`);
    return load();
  };
  const exported: { done?: Promise<void> } = {};
  new Function('require', 'console', 'exports', js)(fakeRequire, { log: (...args: unknown[]) => printed.push(format(...args)) }, exported);
  await exported.done;
  return printed;
}
