import { describe, expect, it } from 'vitest';
import { balancePartitions, type WeightedPartition } from './partition-balance.js';

const parts = (topic: string, weights: number[]): WeightedPartition[] => weights.map((weight, partition) => ({ topic, partition, weight }));
const share = (plan: ReturnType<typeof balancePartitions>, weights: number[], topic = 't') =>
  [...plan.values()].map((a) => (a[topic] ?? []).reduce((s, p) => s + weights[p]!, 0));

describe('balancePartitions', () => {
  it('splits the bench topic by work, where round-robin gave one member 60 %', () => {
    // The bench's 600,000 events over 6 partitions (thousands): round-robin gives
    // {0,2,4} = 72 + 48 + 120 = 240 and {1,3,5} = 120 + 96 + 144 = 360.
    // Heaviest first: 144 → a; 120 → b; 120 → b (120 < 144) = 240; 96 → a = 240;
    // 72 → a (a tie at 240 and 2 partitions each; a comes first) = 312; 48 → b = 288.
    const w = [72, 120, 48, 96, 120, 144];
    const plan = balancePartitions(['b', 'a'], parts('t', w));
    expect(plan.get('a')).toEqual({ t: [0, 3, 5] });
    expect(plan.get('b')).toEqual({ t: [1, 2, 4] });
    expect(share(plan, w)).toEqual([312, 288]);
  });

  it('gives equal counts when nothing weighs anything (no backlog, no recent traffic)', () => {
    const plan = balancePartitions(['m1', 'm2', 'm3'], parts('t', [0, 0, 0, 0, 0, 0, 0]));
    // 7 partitions over 3 members: 3, 2, 2, and every partition exactly once.
    expect([...plan.values()].map((a) => a.t!.length)).toEqual([3, 2, 2]);
    expect([...plan.values()].flatMap((a) => a.t!).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('keeps a member with nothing to take in the plan, with no partitions', () => {
    const plan = balancePartitions(['x', 'y', 'z'], parts('t', [5, 1]));
    expect(plan.get('x')).toEqual({ t: [0] });
    expect(plan.get('y')).toEqual({ t: [1] });
    expect(plan.get('z')).toEqual({});
  });

  it('balances across topics and is the same whatever the order of its input', () => {
    const input = [...parts('a', [10, 1]), ...parts('b', [7, 4])];
    // 10 → m1; 7 → m2; 4 → m2 = 11; 1 → m1 = 11.
    const plan = balancePartitions(['m2', 'm1'], input);
    expect(plan.get('m1')).toEqual({ a: [0, 1] });
    expect(plan.get('m2')).toEqual({ b: [0, 1] });
    expect(balancePartitions(['m1', 'm2'], [...input].reverse())).toEqual(plan);
  });

  it('stays within 4/3 of the best split on random loads', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const w = Array.from({ length: 2 + Math.floor(rnd() * 10) }, () => Math.floor(rnd() * 1000));
      const plan = balancePartitions(['a', 'b'], parts('t', w));
      // Best two-way split by brute force over subsets.
      const total = w.reduce((s, x) => s + x, 0);
      let best = total;
      for (let mask = 0; mask < 1 << w.length; mask++) {
        const one = w.reduce((s, x, i) => s + (mask & (1 << i) ? x : 0), 0);
        best = Math.min(best, Math.max(one, total - one));
      }
      expect(Math.max(...share(plan, w))).toBeLessThanOrEqual((best * 4) / 3 + 1e-9);
      expect([...plan.values()].flatMap((a) => a.t ?? []).sort((x, y) => x - y)).toEqual(w.map((_, i) => i));
    }
  });

  it('assigns nothing without members', () => {
    expect(balancePartitions([], parts('t', [1, 2])).size).toBe(0);
  });
});
