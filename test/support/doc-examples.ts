import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/** A fenced example of a Markdown doc and what each of its `console.log` lines says it prints. */
export interface DocExample {
  readonly code: string;
  /** Same-line `// text` after `console.log(...);`, or the `//` lines that follow it, joined. */
  readonly expected: string[];
}

/** A fenced block of one of the package's docs, and where it is. */
export interface DocBlock extends DocExample {
  /** Relative to the repository root: `README.md`, `docs/cli.md`. */
  readonly doc: string;
  /** 1-based among the doc's blocks of the same language. */
  readonly ordinal: number;
  /** Line of the opening fence. */
  readonly line: number;
  /** The nearest heading above the block. */
  readonly heading: string;
}

function expectedOutput(code: string): string[] {
  const lines = code.split('\n');
  const expected: string[] = [];
  lines.forEach((line, i) => {
    if (!line.includes('console.log(')) return;
    const same = /\);\s*\/\/ (.*)$/.exec(line);
    if (same) return void expected.push(same[1]);
    const next: string[] = [];
    for (let j = i + 1; j < lines.length && lines[j].trim().startsWith('//'); j++) next.push(lines[j].trim().slice(2));
    expected.push(next.join(' '));
  });
  return expected;
}

/** The ```ts blocks of a doc, with their expected output. */
export function docExamples(file: string): DocExample[] {
  return fencedBlocks(readFileSync(file, 'utf8'), 'ts').map(({ code }) => ({ code, expected: expectedOutput(code) }));
}

function fencedBlocks(md: string, lang: string): { code: string; line: number; heading: string }[] {
  return [...md.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => {
    const before = md.slice(0, m.index);
    return {
      code: m[1],
      line: before.split('\n').length,
      heading: [...before.matchAll(/^#+ (.*)$/gm)].pop()?.[1] ?? '',
    };
  });
}

/** The docs a user reads: README.md, then docs/*.md in name order. */
export function docFiles(root: string): string[] {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
}

/** Every ```lang block of the package's docs, in reading order. */
export function docBlocks(root: string, lang = 'ts'): DocBlock[] {
  return docFiles(root).flatMap((doc) =>
    fencedBlocks(readFileSync(join(root, doc), 'utf8'), lang).map((b, i) => ({ ...b, doc, ordinal: i + 1, expected: expectedOutput(b.code) })));
}

/** A fenced block of any language (`lang` '' for a bare fence). */
export interface DocFence {
  readonly doc: string;
  readonly lang: string;
  readonly line: number;
  readonly code: string;
}

/** Every fenced block of the package's docs, in reading order. */
export function docFences(root: string): DocFence[] {
  return docFiles(root).flatMap((doc) => {
    const md = readFileSync(join(root, doc), 'utf8');
    return [...md.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ doc, lang: m[1], line: md.slice(0, m.index).split('\n').length, code: m[2] }));
  });
}

/** Whitespace-insensitive form for comparing printed output with the doc's comments. */
export const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
