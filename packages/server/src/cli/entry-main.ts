import { runEnsign } from './entry.ts';

// The single executable's entry (scripts/build/binary.ts): the whole server loads at each start,
// compiled with the code cache Node made at build time. sea-entry.ts is the snapshot variant.
void runEnsign(process.argv);
