// The client snapshot service lives in core, shared with the edge handler.
export {
  type ClientSnapshotBody,
  type ClientSnapshotRequest,
  type ClientSnapshotResult,
  type ClientSnapshotService,
  createClientSnapshotService,
} from '@ensign/core';
