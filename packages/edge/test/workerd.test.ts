import { edgeConformance } from './support/conformance.ts';
import { startWorkerd, unavailable } from './support/runtimes.ts';

// Cloudflare's runtime, from npm: the module worker (`export default createEdgeHandler(env => ...)`)
// with text bindings, behind a .capnp config whose outbound network allows the loopback origin.
edgeConformance('workerd', false, startWorkerd, unavailable('workerd'));
