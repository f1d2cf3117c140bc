// Persists per-scope core state so that state outliving Kafka's replay horizon
// (an alarm raised hours ago, an open ticket) survives a crash or a rebalance.
import type { Db } from '../infra/clickhouse/client.js';
import type { ScopeSnapshot } from './core/index.js';

export interface PartitionRef {
  group: string;
  topic: string;
  partition: number;
}

/** Writes the state rows; returns the characters of state written (for instrumentation). */
export async function saveSnapshots(db: Db, p: PartitionRef, snaps: ScopeSnapshot[]): Promise<number> {
  if (snaps.length === 0) return 0;
  let chars = 0;
  const values = snaps.map((s) => {
    const state = JSON.stringify(s.state);
    chars += state.length;
    return { consumer_group: p.group, topic: p.topic, partition: p.partition, scope: s.scope, offset: s.offset, state };
  });
  await db.client.insert({ table: db.t('processor_state'), format: 'JSONEachRow', values });
  return chars;
}

export async function loadSnapshots(db: Db, p: PartitionRef): Promise<ScopeSnapshot[]> {
  const rs = await db.client.query({
    query: `SELECT scope, offset, state FROM ${db.t('processor_state')} FINAL
            WHERE consumer_group = {group:String} AND topic = {topic:String} AND partition = {partition:UInt32}`,
    query_params: { group: p.group, topic: p.topic, partition: p.partition },
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{ scope: string; offset: string | number; state: string }>();
  return rows.map((r) => ({ scope: r.scope, offset: Number(r.offset), state: JSON.parse(r.state) as unknown }));
}
