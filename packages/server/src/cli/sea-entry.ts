import { startupSnapshot } from 'node:v8';
import * as core from '@ensign/core';
import * as kysely from 'kysely';

// The single executable's entry when it is built with a start-up snapshot (scripts/build/binary.ts,
// `snapshot: true`; the default build uses entry-main.ts). The executable then starts from a V8
// start-up snapshot: at build time this script runs without calling `main`, and the heap it leaves
// is saved, so what was evaluated then costs nothing at each start. Only code that is pure at load goes in:
// packages/core (pure by rule: no I/O, no clock, no randomness, no Node modules) with the zod
// schemas it builds, and Kysely. Everything else (configuration, logging, metrics, drivers, the
// HTTP server) loads when `main` runs, in the started process: modules that read the host, the
// environment, the clock or random bytes while loading would keep the build machine's values
// (a random-UUID pool taken at build time repeats in every process), and Node cannot put
// node:http, node:tls or node:sqlite in a snapshot at all.

function main(): void {
  import('./entry.ts')
    .then(({ runEnsign }) => runEnsign(process.argv))
    .catch((error: unknown) => {
      process.stderr.write(
        `ensign: cannot start: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    });
}

/** Set by the script's banner (scripts/build/binary.ts): how many Node modules were loaded before. */
declare const __ensignBuiltinsBefore: number | undefined;

/** Node modules whose state (pools of random bytes, handles, the file system) must not be frozen. */
const IMPURE =
  /crypto|child_process|\bnet\b|http|tls|sqlite|worker|\bfs\b|fs\/|dns|cluster|_wrap\b(?<!stream_wrap)/;

function assertPurePreload(): void {
  // Node's (undocumented) record of the modules it has loaded, in order.
  const list = (process as unknown as { moduleLoadList?: string[] }).moduleLoadList ?? [];
  const loaded = list.slice(__ensignBuiltinsBefore ?? 0).filter((m) => IMPURE.test(m));
  if (loaded.length > 0)
    throw new Error(`the start-up snapshot would hold ${loaded.join(', ')}: keep that out of the preload`);
}

if (startupSnapshot.isBuildingSnapshot()) {
  assertPurePreload();
  // Handing the preloaded modules over keeps the bundler from dropping them as unused.
  startupSnapshot.setDeserializeMainFunction(main, { core, kysely });
} else {
  main();
}
