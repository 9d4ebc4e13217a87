/** Picks a free TCP port on the bench host by listening on port 0 and closing again. */
import { createServer } from 'node:net';

export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** The port a bench peer server is told to listen on: `--port <n>` or PORT. */
export function portFromArgs(): number {
  const i = process.argv.indexOf('--port');
  const raw = i >= 0 ? process.argv[i + 1] : process.env.PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port <= 0) throw new Error('give the port with --port <n> or PORT');
  return port;
}
