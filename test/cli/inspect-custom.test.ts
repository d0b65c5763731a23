/**
 * `stellar inspect custom`: the config file's [[custom_metrics]] tried on captured /metrics of
 * two FEs and a BE, as an operator tries a definition on a real cluster before deploying it;
 * and an invalid definition stops with the entry and key named (exit 2, as at start).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stellar-inspect-custom-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { env: {}, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

const config = file(
  'config.toml',
  `[metrics]
interval_secs = 30

[[custom_metrics]]
name = "fe_threads_max"
source = "fe"
family = "jvm_thread"
labels = { type = "count" }
aggregate = "max"
unit = "threads"
description = "Most JVM threads on any FE"

[[custom_metrics]]
name = "leader_queue"
source = "fe_leader"
family = "thread_pool"
labels = { name = "~query.*", type = "queue_size" }
aggregate = "sum"

[[custom_metrics]]
name = "be_loads"
source = "be"
family = "load_rows"
kind = "rate"
`,
);
const fe1 = file('fe1.prom', '# TYPE jvm_thread gauge\njvm_thread{type="count"} 120\n# TYPE node_info gauge\nnode_info{type="is_master"} 0\n');
const fe2 = file(
  'fe2.prom',
  '# TYPE jvm_thread gauge\njvm_thread{type="count"} 180\n# TYPE node_info gauge\nnode_info{type="is_master"} 1\n# TYPE thread_pool gauge\nthread_pool{name="query_exec",type="queue_size"} 4\nthread_pool{name="query_plan",type="queue_size"} 3\nthread_pool{name="publish",type="queue_size"} 9\n',
);
const be1 = file('be1.prom', '# TYPE load_rows counter\nload_rows{table="orders"} 10\n');

describe('stellar inspect custom', () => {
  it('prints what each custom metric gives on the captures: the leader’s own, the max over FEs, null for a rate from one capture', async () => {
    const out = await run(['inspect', 'custom', '--config', config, '--metrics', fe1, '--metrics', fe2, '--be-metrics', be1]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout) as { leader: string; metrics: Array<{ name: string; value: number | null; unit: string }>; warnings: string[] };
    expect(result.leader).toBe(fe2);
    expect(result.metrics.map((m) => [m.name, m.value])).toEqual([
      ['fe_threads_max', 180],
      ['leader_queue', 7],
      ['be_loads', null],
    ]);
    expect(result.metrics[0]?.unit).toBe('threads');
    expect(result.warnings).toEqual([]);
  });

  it('says which nodes lack a family', async () => {
    const out = await run(['inspect', 'custom', '--config', config, '--metrics', fe1, '--metrics', be1]);
    expect(JSON.parse(out.stdout).warnings).toContain(`custom metric fe_threads_max: jvm_thread missing on ${be1}; the value is from the other 1`);
  });

  it('stops on an invalid definition, naming the entry, the key and the value (exit 2)', async () => {
    const bad = file('bad.toml', '[[custom_metrics]]\nname = "fe_threads"\nsource = "fe"\nfamily = "jvm_thread"\naggregate = "median"\n');
    const out = await run(['inspect', 'custom', '--config', bad, '--metrics', fe1]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/config error: custom_metrics\[0\] \("fe_threads"\) in .*bad\.toml: aggregate = "median": /);
    const twice = file('twice.toml', '[[custom_metrics]]\nname = "a"\nsource = "fe"\nfamily = "x"\n[[custom_metrics]]\nname = "a"\nsource = "be"\nfamily = "y"\n');
    expect((await run(['inspect', 'custom', '--config', twice, '--metrics', fe1])).stderr).toMatch(/custom_metrics\[1\] \("a"\).*declared twice/);
    const builtIn = file('builtin.toml', '[[custom_metrics]]\nname = "qps"\nsource = "fe"\nfamily = "x"\n');
    expect((await run(['config', '--config', builtIn])).stderr).toMatch(/custom_metrics\[0\] \("qps"\).*: name = "qps": is the name of a built-in field/);
  });
});
