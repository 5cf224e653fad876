// If-None-Match matching is core's (api/etag.ts), shared with the edge handler.
export { ifNoneMatchMatches } from '@ensign/core';
