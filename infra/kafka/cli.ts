// `npm run kafka -- start|stop|status|fetch`: the local broker by hand.
import { loadConfig } from '../config.js';
import { join } from 'node:path';
import { fetchBroker, runningPid, startBroker, stopBroker } from './broker.js';

const cfg = loadConfig();
const opts = { dir: join(cfg.dataDir, 'kafka'), port: cfg.kafka.localPort, log: (m: string) => console.error(m) };
const cmd = process.argv[2] ?? 'status';
switch (cmd) {
  case 'fetch':
    console.log(fetchBroker(undefined, opts.log));
    break;
  case 'start': {
    const { pid, started } = await startBroker(opts);
    console.log(`${started ? 'started' : 'already running'}: pid ${pid}, 127.0.0.1:${opts.port}`);
    break;
  }
  case 'stop':
    console.log((await stopBroker(opts)) ? 'stopped' : 'not running');
    break;
  case 'status': {
    const pid = runningPid(opts);
    console.log(pid === null ? 'not running' : `running: pid ${pid}, 127.0.0.1:${opts.port}`);
    break;
  }
  default:
    console.error(`unknown command "${cmd}"; use start, stop, status or fetch`);
    process.exit(2);
}
