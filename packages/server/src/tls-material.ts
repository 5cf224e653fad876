import { readFileSync } from 'node:fs';
import { ConfigError } from './config/config-error.ts';
import type { ServerConfig } from './config/types.ts';

// `server.protocol: https`: the PEM certificate chain and key both listeners present, read once
// at start so a missing or unreadable file stops the server with the key's name.

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

export function tlsMaterialOf(server: ServerConfig): TlsMaterial | undefined {
  if (server.protocol !== 'https') return undefined;
  const read = (key: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new ConfigError(`cannot read ${key} ${JSON.stringify(path)}: ${(error as Error).message}`, key);
    }
  };
  return { cert: read('server.cert_file', server.certFile), key: read('server.cert_key', server.certKey) };
}
