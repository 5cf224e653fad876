import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

// A TCP proxy the fault tests put between Ensign and a real database server, to break the path
// on demand the ways networks break:
//   pass       forward bytes both ways
//   reset      cut every open connection with a TCP RST (a failover, a restarted proxy)
//   blackhole  accept connections and keep them open, but forward nothing (a hung server, a
//              dropped route): nothing is refused, nothing answers
//   refuse     stop listening: new connections get ECONNREFUSED; open ones are reset

export type ProxyMode = 'pass' | 'blackhole' | 'refuse';

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
}

export class FaultProxy {
  #server: Server;
  #mode: ProxyMode = 'pass';
  readonly #pairs = new Set<Pair>();
  readonly #target: { host: string; port: number };
  port = 0;

  private constructor(target: { host: string; port: number }) {
    this.#target = target;
    this.#server = this.#createServer();
  }

  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    const proxy = new FaultProxy(target);
    await proxy.#listen(0);
    return proxy;
  }

  get mode(): ProxyMode {
    return this.#mode;
  }

  /** Cuts every open connection with a RST; new ones are served as the mode says. */
  reset(): void {
    for (const pair of this.#pairs) this.#cut(pair);
  }

  async set(mode: ProxyMode): Promise<void> {
    const previous = this.#mode;
    this.#mode = mode;
    if (mode === 'refuse') {
      this.reset();
      await new Promise<void>((resolve) => this.#server.close(() => resolve()));
      return;
    }
    if (previous === 'refuse') {
      this.#server = this.#createServer();
      await this.#listen(this.port);
    }
    if (mode === 'blackhole') {
      // Open connections go silent too: what was sent is never answered.
      for (const pair of this.#pairs) this.#silence(pair);
    }
    if (mode === 'pass' && previous === 'blackhole') {
      // Connections opened during the black hole never reached the server; end them like a
      // route that comes back would (their peers gave up long ago).
      this.reset();
    }
  }

  async close(): Promise<void> {
    this.reset();
    if (this.#mode !== 'refuse') await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #createServer(): Server {
    return createServer((client) => this.#accept(client));
  }

  #listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        this.port = (this.#server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  #accept(client: Socket): void {
    const pair: Pair = { client, upstream: undefined };
    this.#pairs.add(pair);
    client.on('error', () => {});
    client.on('close', () => {
      this.#pairs.delete(pair);
      pair.upstream?.destroy();
    });
    if (this.#mode === 'blackhole') {
      client.resume();
      return;
    }
    const upstream = tcpConnect(this.#target);
    pair.upstream = upstream;
    upstream.on('error', () => {});
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }

  #silence(pair: Pair): void {
    pair.client.unpipe();
    pair.upstream?.unpipe();
    pair.client.resume();
    pair.upstream?.resume();
  }

  #cut(pair: Pair): void {
    this.#pairs.delete(pair);
    pair.client.resetAndDestroy();
    pair.upstream?.resetAndDestroy();
  }
}
