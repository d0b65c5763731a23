/** What a command needs from the process, so commands run in tests without one. */
export interface CliIO {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Whether stderr is a terminal (progress lines only then). */
  readonly isTTY?: boolean;
}
