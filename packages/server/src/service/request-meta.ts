export { elapsedMs, requestIdOr, timestampNow } from '@ensign/core';
