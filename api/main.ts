#!/usr/bin/env node
/** `npm start`: load config, start the server, drain and stop on SIGTERM/SIGINT. */
import pino from 'pino';
import { loadConfig, ConfigError } from '../config/index.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(2);
    }
    throw err;
  }
  const log = pino({ level: config.log.level });
  const server = await startServer({ config, logger: log, bootstrapAdminKey: process.env.SELLERPULSE_BOOTSTRAP_ADMIN_KEY });
  if (server.bootstrapKey !== null) {
    // printed once, on the first start, outside the log stream: it is not stored anywhere readable
    process.stderr.write(`\nBootstrap admin key (all scopes, tenant "default") — shown only now, keep it safe:\n  ${server.bootstrapKey}\n\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'draining queues before exit');
    server.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`SellerPulse failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
