// Placeholder until the Kafka broker setup lands (infra/kafka); pure tests need nothing.
export default async function setup(): Promise<void> {}
