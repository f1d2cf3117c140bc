// The readiness check for Kafka that composition roots pass to registerDashboard:
// the broker answers a metadata request.
import type { Kafka } from 'kafkajs';
import type { ReadinessCheck } from './routes/readyz-route.js';

export function kafkaCheck(kafka: Kafka): ReadinessCheck {
  return {
    name: 'kafka',
    async check() {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.listTopics();
      } finally {
        await admin.disconnect();
      }
    },
  };
}
