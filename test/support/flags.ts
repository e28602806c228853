/**
 * Reads `--flag value` and `--flag=value` arguments one at a time for the local endpoints' command lines; every
 * error names the flag, the rule and the value received.
 */
export class FlagReader {
  private index = -1;
  private inline: string | undefined;
  /** The flag being read (`--port`), set by `next()`. */
  flag = '';
  /** The argument as given (`--port=80`), for "unknown flag" errors. */
  arg = '';

  constructor(
    private readonly argv: readonly string[],
    private readonly usage: string,
  ) {}

  /** Moves to the next flag; false at the end. */
  next(): boolean {
    this.index++;
    if (this.index >= this.argv.length) {
      return false;
    }
    this.arg = this.argv[this.index];
    const eq = this.arg.indexOf('=');
    this.flag = eq > 0 ? this.arg.slice(0, eq) : this.arg;
    this.inline = eq > 0 ? this.arg.slice(eq + 1) : undefined;
    return true;
  }

  value(): string {
    const v = this.inline ?? this.argv[++this.index];
    if (v === undefined) {
      throw new Error(`${this.flag} needs a value\n${this.usage}`);
    }
    return v;
  }

  number(rule: (n: number) => boolean, ruleText: string): number {
    const raw = this.value();
    const n = Number(raw);
    if (raw.trim() === '' || !rule(n)) {
      throw new Error(`${this.flag} must be ${ruleText}, got ${JSON.stringify(raw)}`);
    }
    return n;
  }

  port(): number {
    return this.number((n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer between 0 and 65535');
  }

  unknown(): Error {
    return new Error(`unknown flag ${JSON.stringify(this.arg)}\n${this.usage}`);
  }
}
