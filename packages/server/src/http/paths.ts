// Path normalisation is core's (api/request-path.ts), shared with the edge handler.
export { routingPath } from '@ensign/core';
