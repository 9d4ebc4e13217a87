/**
 * Fastify 5 peer: the same routes as the engine with the engine's per-event check expressed as a
 * JSON schema (validated by Fastify's Ajv), answering 202. Responses are serialised from a response
 * schema (fast-json-stringify), i.e. Fastify as it is meant to be tuned.
 *
 * Run: node dist/bench/fastify-peer.js --port <n>   (or PORT=<n>; HOST defaults to 127.0.0.1)
 */
import Fastify from 'fastify';
import { decode } from '@msgpack/msgpack';
import { benchConfig } from './bench-config.js';
import { portFromArgs } from './free-port.js';

/** The engine's seller-id pattern (engine/intake/seller-id.ts). */
const kSellerIdPattern = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$';

const eventSchema = {
  type: 'object',
  required: ['sellerId', 'timestamp', 'type'],
  properties: {
    sellerId: { type: 'string', pattern: kSellerIdPattern },
    timestamp: { type: 'integer', minimum: 0 },
    type: { type: 'string', enum: benchConfig.fixtures.eventTypes },
    value: { type: 'number', minimum: 0 },
  },
} as const;

const eventArraySchema = { type: 'array', minItems: 1, maxItems: benchConfig.limits.maxBatchEvents, items: eventSchema } as const;

const batchSchema = {
  anyOf: [eventArraySchema, { type: 'object', required: ['events'], properties: { events: eventArraySchema } }],
} as const;

const acceptedSchema = {
  202: {
    type: 'object',
    properties: {
      accepted: { type: 'integer' },
      lateDropped: { type: 'integer' },
      duplicates: { type: 'integer' },
      rejected: { type: 'array' },
    },
  },
} as const;

async function main(): Promise<void> {
  const port = portFromArgs();
  const host = process.env.HOST || benchConfig.host;
  const app = Fastify({ logger: false, bodyLimit: benchConfig.limits.maxBodyBytes });
  app.addContentTypeParser(['application/msgpack', 'application/x-msgpack'], { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, decode(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.post('/events', { schema: { body: eventSchema, response: acceptedSchema } }, async (_req, reply) => {
    reply.code(202);
    return { accepted: 1 };
  });
  app.post('/events/batch', { schema: { body: batchSchema, response: acceptedSchema } }, async (req, reply) => {
    const body = req.body as unknown[] | { events: unknown[] };
    const events = Array.isArray(body) ? body : body.events;
    reply.code(202);
    return { accepted: events.length, lateDropped: 0, duplicates: 0, rejected: [] };
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.listen({ host, port });
  process.stdout.write(`fastify-peer listening on ${host}:${port}\n`);
  const stop = () => {
    app.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`fastify-peer failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
