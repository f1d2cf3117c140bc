// Metrics and health for a standalone process without an HTTP app of its own
// (processors, alert evaluator): SQA_METRICS_PORT serves /healthz for the
// container's health check and everything else as Prometheus text.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

/** Listens on `port`; 0 or NaN means no server (returns null). */
export function serveMetrics(registry: Registry, port: number): Server | null {
  if (!port) return null;
  return createServer((req, res) => {
    if (req.url === '/healthz') return void res.end('ok');
    registry.metrics().then(
      (text) => { res.setHeader('content-type', registry.contentType); res.end(text); },
      (err: unknown) => { res.statusCode = 500; res.end(String(err)); },
    );
  }).listen(port);
}
