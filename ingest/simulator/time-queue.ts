// A min-heap of things due at a simulated time. Ties are broken by insertion
// order so the generator's output depends only on its seed, not on heap layout.

interface Node<T> {
  at: number;
  seq: number;
  item: T;
}

export class TimeQueue<T> {
  private heap: Node<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, item: T): void {
    const heap = this.heap;
    heap.push({ at, seq: this.seq++, item });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  peekAt(): number | undefined {
    return this.heap[0]?.at;
  }

  pop(): { at: number; item: T } | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (!top) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return { at: top.at, item: top.item };
  }
}

function before<T>(x: Node<T>, y: Node<T>): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}
