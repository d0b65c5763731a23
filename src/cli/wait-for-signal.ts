/** Run until SIGINT or SIGTERM, then close cleanly; a second signal exits without waiting. */
export function runUntilSignal(close: () => Promise<void>, log: (level: 'info' | 'warn' | 'error', message: string) => void): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        log('warn', `second ${signal}: exiting without waiting`);
        resolve(1);
        return;
      }
      stopping = true;
      log('info', `${signal}: shutting down`);
      close().then(
        () => resolve(0),
        (err: unknown) => {
          log('error', `shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
