// Which group member takes which partition, balanced by the work each partition
// holds rather than by partition count. Kafka's round-robin gives every member the
// same number of partitions, but events are keyed by scope, and scopes are few
// and uneven: the bench's 25 scopes hash 10 to the even partitions and 15 to the odd
// ones, whatever their number, so of two threads one had 60 % of the work and ran
// alone for the last third (docs/benchmarks.md, 2026-11-29 10:00–10:40). Pure: the weights
// come from the broker through balanced-assigner.ts.

export interface WeightedPartition {
  topic: string;
  partition: number;
  /** Messages to expect: the backlog plus the recent arrivals (≥ 0). */
  weight: number;
}

/** member id → topic → partitions, ascending. Every member is present, possibly with nothing. */
export type MemberPartitions = Map<string, Record<string, number[]>>;

/**
 * Longest-processing-time-first: the heaviest partition goes to the member with the
 * least weight so far (ties: fewer partitions, then member id). Within 4/3 of the best
 * possible largest share; with equal weights (no backlog, no recent traffic) every
 * member gets the same number of partitions, give or take one, as round-robin does.
 * The same input always gives the same assignment, whichever member leads.
 */
export function balancePartitions(memberIds: readonly string[], partitions: readonly WeightedPartition[]): MemberPartitions {
  const members = [...new Set(memberIds)].sort().map((id) => ({ id, weight: 0, count: 0, topics: {} as Record<string, number[]> }));
  if (members.length === 0) return new Map();
  const order = [...partitions].sort((a, b) => b.weight - a.weight || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0) || a.partition - b.partition);
  for (const p of order) {
    let to = members[0]!;
    for (const m of members) if (m.weight < to.weight || (m.weight === to.weight && m.count < to.count)) to = m;
    to.weight += Math.max(0, p.weight);
    to.count++;
    (to.topics[p.topic] ??= []).push(p.partition);
  }
  for (const m of members) for (const list of Object.values(m.topics)) list.sort((a, b) => a - b);
  return new Map(members.map((m) => [m.id, m.topics]));
}
