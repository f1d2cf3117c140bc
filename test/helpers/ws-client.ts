// A live-channel test client: records every frame and waits for one that matches.
import WebSocket from 'ws';

export class WsClient<M> {
  readonly messages: M[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as M);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
    // A refused frame makes the server close; the client sees that as 'close' after this.
    ws.on('error', () => this.wake());
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** The index of the `nth` message at index ≥ `from` that matches, once it came. */
  async nextIndex(pred: (m: M) => boolean, from = 0, timeoutMs = 15_000, nth = 1): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let found = 0;
      const i = this.messages.findIndex((m, j) => j >= from && pred(m) && ++found === nth);
      if (i >= 0) return i;
      if (this.closed) throw new Error(`closed (${this.closed.code} ${this.closed.reason}) before the message came`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; got ${this.messages.length - from} others`);
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, left); });
    }
  }

  /** The first message at index ≥ `from` that matches. */
  async next(pred: (m: M) => boolean, from = 0, timeoutMs = 15_000): Promise<M> {
    return this.messages[await this.nextIndex(pred, from, timeoutMs)]!;
  }

  send(m: unknown): void {
    this.ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  }

  async waitClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 100); });
    if (!this.closed) throw new Error('not closed');
    return this.closed;
  }
}

/** Opens a connection; rejects with `HTTP <status>` when the upgrade is refused. */
export function connectWs<M>(url: string, options: WebSocket.ClientOptions = {}): Promise<WsClient<M>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    const client = new WsClient<M>(ws);
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}
