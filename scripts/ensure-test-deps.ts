// Runs before `npm test`: makes sure what the suite needs is on this machine.
// Kafka's jars come from Maven Central (infra/kafka); the browser tests need
// Debian's Chromium, installed with apt-get when missing and we are root.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fetchBroker } from '../infra/kafka/broker.js';

const log = (m: string) => console.error(`[pretest] ${m}`);

if (!process.env.KAFKA_BROKERS) fetchBroker(undefined, log);

const CHROMIUM = process.env.SQA_CHROMIUM || '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  if (process.getuid?.() !== 0) {
    log(`${CHROMIUM} is missing and this is not root: run "sudo apt-get install -y chromium" (browser tests need it)`);
    process.exit(1);
  }
  log('installing Debian chromium for the browser tests (apt-get install -y chromium) ...');
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) {
      log(`apt-get ${args.join(' ')} failed (exit ${r.status}); install chromium by hand`);
      process.exit(1);
    }
  }
}
