// Flipt's evaluation API (v2 evaluation, legacy evaluate, OFREP, client snapshot) as pure
// services over a snapshot reader: the server and the edge handler answer through the same code.

export { sha1Hex } from '../hash/sha1.ts';
export { type DocumentGate, documentGate, gateDocument } from '../snapshot/version-gate.ts';
export * from './client-snapshot-service.ts';
export * from './etag.ts';
export * from './evaluation-service.ts';
export * from './gzip.ts';
export * from './json-message.ts';
export * from './legacy-evaluation-service.ts';
export * from './namespace-key.ts';
export * from './ofrep-service.ts';
export * from './ofrep-wire.ts';
export * from './request-meta.ts';
export * from './request-path.ts';
export * from './requests.ts';
export * from './serving-snapshot.ts';
