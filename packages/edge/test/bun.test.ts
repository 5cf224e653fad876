import { edgeConformance } from './support/conformance.ts';
import { startBun, unavailable } from './support/runtimes.ts';

// Bun, from npm: the bundled handler behind Bun.serve.
edgeConformance('Bun', true, startBun, unavailable('bun'));
