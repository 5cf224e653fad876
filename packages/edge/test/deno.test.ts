import { edgeConformance } from './support/conformance.ts';
import { startDeno, unavailable } from './support/runtimes.ts';

// Deno, from npm: the bundled handler behind Deno.serve, network limited to loopback.
edgeConformance('Deno', true, startDeno, unavailable('deno'));
