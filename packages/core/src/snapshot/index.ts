export {
  buildNamespaceSnapshot,
  buildSnapshot,
  emptyDefaultNamespace,
  rebuildNamespaceSnapshot,
  snapshotOf,
} from './build.ts';
export { clientDocumentFromState } from './client-document.ts';
export { documentVersion } from './content-version.ts';
export type { ChangeHint } from './incremental.ts';
export type { NamespaceSnapshot, Snapshot } from './types.ts';
export { type DocumentGate, documentGate, gateDocument } from './version-gate.ts';
