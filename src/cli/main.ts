#!/usr/bin/env node
/** Entry point of the `stellar` executable. */
import { runCli } from './run-cli.js';

const code = await runCli(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr, isTTY: process.stderr.isTTY });
// After a clean run the process ends by itself; after a failure (or a second signal during
// shutdown) it must not wait for sockets or timers left open.
if (code === 0) process.exitCode = 0;
else process.exit(code);
