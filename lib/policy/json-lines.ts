/**
 * Maps JSON paths (`Resources.Role.Properties.Policies[0]`) to the 1-based line where that value starts in the
 * original text, so reports can point at the exact line of a template. A small scanner instead of JSON.parse
 * because the standard parser keeps no positions.
 */
export function jsonLineIndex(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;

  const ws = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === '\n') { line++; i++; } else if (c === ' ' || c === '\t' || c === '\r') i++; else break;
    }
  };
  const str = (): string => {
    // Assumes text is valid JSON (it was parsed already); decodes through JSON.parse for escapes.
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    lines.set(path, line);
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        const key = str();
        ws();
        i++; // ':'
        value(path ? `${path}.${key}` : key);
        ws();
        if (text[i] === ',') { i++; continue; }
        i++; // '}'
        return;
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') { i++; return; }
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        ws();
        if (text[i] === ',') { i++; continue; }
        i++; // ']'
        return;
      }
    } else if (c === '"') {
      str();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
    }
  };
  try {
    value('');
  } catch {
    // Positions are a convenience; a text the scanner cannot follow just yields fewer lines.
  }
  return lines;
}

/** The line of `path`, or of its nearest ancestor that has one. */
export function lineOf(index: Map<string, number>, path: string): number | undefined {
  let p = path;
  for (;;) {
    const l = index.get(p);
    if (l !== undefined) return l;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return index.get('');
    p = p.slice(0, cut);
  }
}
