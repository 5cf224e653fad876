import { runEnsign } from './entry.ts';

// The single executable's entry when it is built without a start-up snapshot
// (scripts/build/binary.ts, `snapshot: false`): the whole server loads at each start.
void runEnsign(process.argv);
