// The processors' partition assigner against the real broker: two members of one
// group split four partitions by the messages each holds (backlog past the group's
// commit, plus the last minute's arrivals), where round-robin would give {0,2} and
// {1,3} whatever they hold.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { PartitionAssigners, type Consumer, type Kafka } from 'kafkajs';
import { balancedAssigner } from '../../processors/balanced-assigner.js';
import { createKafka } from '../../infra/kafka/client.js';
import { testBrokers } from '../helpers/kafka.js';

const kafka: Kafka = createKafka({ brokers: testBrokers(), clientId: 'sqa-test-assigner' });
const consumers: Consumer[] = [];
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.disconnect()));
});

/** A topic of four partitions holding `counts[p]` messages each, stamped `ageMs` ago. */
async function topicWith(counts: number[], ageMs: number): Promise<string> {
  const topic = `assign-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: counts.length }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const timestamp = String(Date.now() - ageMs);
  await producer.send({ topic, messages: counts.flatMap((n, partition) => Array.from({ length: n }, (_, i) => ({ partition, value: String(i), timestamp }))) });
  await producer.disconnect();
  return topic;
}

async function commit(groupId: string, topic: string, offsets: number[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.setOffsets({ groupId, topic, partitions: offsets.map((offset, partition) => ({ partition, offset: String(offset) })) });
  await admin.disconnect();
}

/** Two members join `groupId` on `topic`; resolves with their partitions once the group has split all of them. */
async function splitOf(groupId: string, topic: string, partitions: number): Promise<number[][]> {
  const latest = new Map<Consumer, number[]>();
  let settled!: () => void;
  const done = new Promise<void>((r) => (settled = r));
  const check = () => {
    const all = [...latest.values()].flat().sort((a, b) => a - b);
    if (latest.size === 2 && [...latest.values()].every((p) => p.length > 0) && all.length === partitions && all.every((p, i) => p === i)) settled();
  };
  for (let i = 0; i < 2; i++) {
    const c = kafka.consumer({
      groupId, sessionTimeout: 6000, heartbeatInterval: 500,
      partitionAssigners: [balancedAssigner({ log: (m) => console.error(m) }), PartitionAssigners.roundRobin],
    });
    consumers.push(c);
    c.on(c.events.GROUP_JOIN, (e) => {
      latest.set(c, [...(e.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b));
      check();
    });
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    // Nothing consumed is committed: the weights stay what the test set up.
    await c.run({ autoCommit: false, eachBatch: async () => {} });
  }
  await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error('the group did not split the partitions in 30 s')), 30_000))]);
  return [...latest.values()].sort((a, b) => a[0]! - b[0]!);
}

describe('the balanced partition assigner', () => {
  it('weighs the backlog past the group\'s committed offsets', async () => {
    // Stamped 10 minutes ago, so nothing counts as a recent arrival. Committed: 350
    // of partition 0's 400, nothing of the rest. Backlogs 50, 300, 200, 100:
    // 300 → a; 200 → b; 100 → b = 300; 50 → a (tie at 300, a has fewer partitions).
    const topic = await topicWith([400, 300, 200, 100], 600_000);
    const groupId = `g-${randomBytes(4).toString('hex')}`;
    await commit(groupId, topic, [350, 0, 0, 0]);
    expect(await splitOf(groupId, topic, 4)).toEqual([[0, 1], [2, 3]]);
  }, 60_000);

  it('weighs the last minute\'s arrivals when nothing is left to catch up', async () => {
    // Stamped now; everything committed, so no backlog. Arrivals 300, 100, 100, 100:
    // 300 → a; then 100 each → b, b, b = 300.
    const topic = await topicWith([300, 100, 100, 100], 0);
    const groupId = `g-${randomBytes(4).toString('hex')}`;
    await commit(groupId, topic, [300, 100, 100, 100]);
    expect(await splitOf(groupId, topic, 4)).toEqual([[0], [1, 2, 3]]);
  }, 60_000);
});
