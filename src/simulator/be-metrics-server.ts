/**
 * A simulated BE's HTTP port, when a cluster serves BE metrics: `GET /metrics` in the BE's own
 * style (TYPE lines only, labels joined by `,`, `starrocks_be_` prefix; StarRocks' `be/src/http/action/metrics_action.cpp`)
 * with the CPU, memory, disk and network families a collector reads, and `GET /api/health`.
 */
import { createServer } from 'node:http';
import { beCounters, beValues } from './be-values.js';
import type { RequestLog } from './request-log.js';
import type { ClusterModel } from './cluster-model.js';
import { beLoadRows } from './extra-families.js';
import { BE_STYLE, PrometheusWriter } from './prometheus-writer.js';

export function renderBeMetrics(model: ClusterModel, be: number, tMs: number): string {
  const w = new PrometheusWriter(BE_STYLE);
  const p = model.engine === 'doris' ? 'doris_be_' : 'starrocks_be_';
  const c = beCounters(model, be, tMs);
  const v = beValues(model, be, tMs);
  for (const [mode, jiffies] of Object.entries(c.cpu)) w.series(`${p}cpu`, 'counter', '', [['mode', mode]], String(jiffies));
  const processMem = Math.round((v.be.memLimitBytes * v.memUsedPct) / 100);
  w.series(`${p}process_mem_bytes`, 'gauge', '', [], String(processMem));
  w.series(`${p}query_mem_bytes`, 'gauge', '', [], String(Math.round(processMem * 0.4)));
  w.series(`${p}load_mem_bytes`, 'gauge', '', [], String(Math.round(processMem * 0.1)));
  const device = [['device', 'nvme0n1']] as const;
  w.series(`${p}disk_bytes_read`, 'counter', '', device, String(c.diskReadBytes));
  w.series(`${p}disk_bytes_written`, 'counter', '', device, String(c.diskWrittenBytes));
  w.series(`${p}disk_reads_completed`, 'counter', '', device, String(Math.floor(c.diskReadBytes / 65_536)));
  w.series(`${p}disk_writes_completed`, 'counter', '', device, String(Math.floor(c.diskWrittenBytes / 65_536)));
  const path = [['path', '/data/be/storage']] as const;
  w.series(`${p}disks_total_capacity`, 'gauge', '', path, String(Math.round(v.totalBytes)));
  w.series(`${p}disks_avail_capacity`, 'gauge', '', path, String(Math.round(v.availBytes)));
  w.series(`${p}disks_data_used_capacity`, 'gauge', '', path, String(Math.round(v.dataUsedBytes)));
  const nic = [['device', 'eth0']] as const;
  w.series(`${p}network_receive_bytes`, 'counter', '', nic, String(c.netReceiveBytes));
  w.series(`${p}network_receive_packets`, 'counter', '', nic, String(Math.floor(c.netReceiveBytes / 1_200)));
  w.series(`${p}network_send_bytes`, 'counter', '', nic, String(c.netSendBytes));
  w.series(`${p}network_send_packets`, 'counter', '', nic, String(Math.floor(c.netSendBytes / 1_200)));
  w.series(`${p}tablet_cumulative_max_compaction_score`, 'gauge', '', [], String(v.compactionScore));
  w.series(`${p}tablet_base_max_compaction_score`, 'gauge', '', [], String(Math.floor(v.compactionScore / 3)));
  // Read by no built-in field: a custom metric's (extra-families.ts).
  w.series(`${p}load_rows`, 'counter', '', [], String(beLoadRows(model, be, tMs)));
  return w.text();
}

export interface BeServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on the BE's own loopback address; a dead BE refuses nothing but answers nothing useful. */
export async function startBeServer(model: ClusterModel, be: number, host: string, clock: () => number, requests: RequestLog): Promise<BeServer> {
  const server = createServer((req, res) => {
    requests.record(`be${be}`, new URL(req.url ?? '/', 'http://be'));
    const now = clock();
    if (!model.events.beAlive(be, now)) {
      res.socket?.destroy();
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const [status, type, body] =
      path === '/metrics'
        ? [200, 'text/plain; version=0.0.4', renderBeMetrics(model, be, now)]
        : path === '/api/health'
          ? [200, 'application/json', '{"status": "OK","msg": "To Be Added"}']
          : [404, 'text/html', 'Not Found'];
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
