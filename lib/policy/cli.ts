// Placeholder: the policy-review issue implements `iprod policy-report` here.
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export async function policyReportCommand(_argv: string[], io: CommandIo): Promise<number> {
  io.stderr('policy-report is not implemented yet\n');
  return 2;
}
