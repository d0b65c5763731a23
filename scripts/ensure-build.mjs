// Builds dist/ from src/ when dist/ is missing or older than any source, so `npm start` and
// bin/stellar.sh always run what is in src/. With --force it always builds (npm run build).
// The build goes to dist.new/ and replaces dist/ in one rename, so a running process never
// sees a half-written dist/. The web console (web/) is built into dist.new/web/ in the same
// step, so dist/web/ exists after every build and is never older than the server beside it.
// dist/cli/main.js is package.json's bin and is left executable: `npx stellar` runs the file
// itself, and npx only makes it executable when it first links the package, not after a rebuild.
// With --check it builds nothing: exit 0 when dist/ is current, 1 (and why) when it is not.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = join(root, 'dist', 'cli', 'main.js');
const webEntry = join(root, 'dist', 'web', 'index.html');
const inputs = ['src', 'web', 'package.json', 'tsconfig.json', 'tsconfig.build.json'].map((p) => join(root, p));

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).filter((name) => name !== 'node_modules').map((name) => newestMtime(join(path, name))));
}

const force = process.argv.includes('--force');
const built = [entry, webEntry].every(existsSync) ? Math.min(statSync(entry).mtimeMs, statSync(webEntry).mtimeMs) : -Infinity;
const current = built >= Math.max(...inputs.map(newestMtime));
if (process.argv.includes('--check')) {
  if (!current) console.error(built === -Infinity ? 'dist/ is not built: run npm run build' : 'dist/ is older than src/ or web/: run npm run build');
  process.exit(current ? 0 : 1);
}
if (!force && current) process.exit(0);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.error('stellar: dist/ is missing or older than src/, and TypeScript is not installed to build it; run `npm ci` first');
  process.exit(1);
}

const next = join(root, 'dist.new');
rmSync(next, { recursive: true, force: true });
if (!force) console.error('stellar: building dist/ from src/ …');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', next], { stdio: 'inherit' });
if (result.status !== 0) {
  rmSync(next, { recursive: true, force: true });
  console.error('stellar: the build failed');
  process.exit(result.status ?? 1);
}
chmodSync(join(next, 'cli', 'main.js'), 0o755);
try {
  const { build } = await import('vite');
  await build({
    configFile: join(root, 'web', 'vite.config.ts'),
    build: { outDir: join(next, 'web'), emptyOutDir: true },
    logLevel: force ? 'info' : 'warn',
  });
} catch (error) {
  rmSync(next, { recursive: true, force: true });
  console.error(`stellar: the build of the web console failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
rmSync(join(root, 'dist'), { recursive: true, force: true });
renameSync(next, join(root, 'dist'));
