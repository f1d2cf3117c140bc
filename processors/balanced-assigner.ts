// A kafkajs partition assigner that balances the processors' group by work, not by
// partition count (partition-balance.ts says why). The group's leader runs it at
// every rebalance: it asks the broker how many messages each partition holds that
// the group has not committed, and how many arrived in the last minute, and gives
// the heaviest partitions out first. Catching up after an outage, the backlog
// decides; in steady state, the recent arrival rate does.
import { AssignerProtocol, type Cluster, type PartitionAssigner } from 'kafkajs';
import { balancePartitions, type WeightedPartition } from './partition-balance.js';

const BALANCED_ASSIGNER_NAME = 'SqaBalancedAssigner';
/** Arrivals over this long before the rebalance count as the partition's current load. */
const RECENT_WINDOW_MS = 60_000;

const offsetsOf = (list: { topic: string; partitions: { partition: number; offset: string }[] }[]): Map<string, number> =>
  new Map(list.flatMap((t) => t.partitions.map((p) => [`${t.topic}|${p.partition}`, Number(p.offset)] as const)));

/**
 * Each partition's expected messages: its backlog (end offset − the group's
 * committed offset, or − the log start when nothing is committed) plus the messages
 * that arrived in the last RECENT_WINDOW_MS.
 */
export async function partitionWeights(cluster: Cluster, groupId: string, topics: readonly string[], now: number): Promise<WeightedPartition[]> {
  const wanted = topics.map((topic) => ({ topic, partitions: cluster.findTopicPartitionMetadata(topic).map((m) => ({ partition: m.partitionId })) }));
  const coordinator = await cluster.findGroupCoordinator({ groupId });
  const [end, start, recent, committed] = await Promise.all([
    cluster.fetchTopicsOffset(wanted.map((t) => ({ ...t, fromBeginning: false }))),
    cluster.fetchTopicsOffset(wanted.map((t) => ({ ...t, fromBeginning: true }))),
    cluster.fetchTopicsOffset(wanted.map((t) => ({ ...t, fromTimestamp: now - RECENT_WINDOW_MS }))),
    coordinator.offsetFetch({ groupId, topics: wanted.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => ({ ...p, offset: '-1' })) })) }),
  ]).then(([e, s, r, c]) => [offsetsOf(e), offsetsOf(s), offsetsOf(r), offsetsOf(c.responses)]);
  return wanted.flatMap(({ topic, partitions }) => partitions.map(({ partition }) => {
    const key = `${topic}|${partition}`;
    const last = end.get(key) ?? 0;
    const from = Math.max(committed.get(key) ?? -1, start.get(key) ?? 0);
    // -1: no message at or after the timestamp, so nothing arrived lately.
    const since = recent.get(key) ?? -1;
    const weight = Math.max(0, last - from) + (since >= 0 ? Math.max(0, last - since) : 0);
    return { topic, partition, weight: Number.isFinite(weight) ? weight : 0 };
  }));
}

export interface BalancedAssignerOptions {
  log: (msg: string) => void;
  clock?: () => number;
}

/**
 * The assigner. Processors list it before round-robin, so a group that still has
 * members of an older version agrees on round-robin until they are gone.
 */
export function balancedAssigner(o: BalancedAssignerOptions): PartitionAssigner {
  const clock = o.clock ?? Date.now;
  return ({ cluster, groupId }) => ({
    name: BALANCED_ASSIGNER_NAME,
    version: 0,
    async assign({ members, topics }) {
      let partitions: WeightedPartition[];
      try {
        partitions = await partitionWeights(cluster, groupId, topics, clock());
      } catch (err) {
        // The group must still form: without weights every partition counts the
        // same, which is round-robin's balance.
        o.log(`partition weights unavailable, balancing by count: ${(err as Error).message}`);
        partitions = topics.flatMap((topic) => cluster.findTopicPartitionMetadata(topic).map((m) => ({ topic, partition: m.partitionId, weight: 0 })));
      }
      const plan = balancePartitions(members.map((m) => m.memberId), partitions);
      return [...plan].map(([memberId, assignment]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment, userData: Buffer.alloc(0) }),
      }));
    },
    protocol({ topics }) {
      return { name: BALANCED_ASSIGNER_NAME, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
    },
  });
}
