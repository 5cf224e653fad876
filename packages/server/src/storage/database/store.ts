import { EnsignError, namespaceNotFound } from '@ensign/core';
import type { ManagementStore } from '../management-store.ts';
import { withRequestLimits } from '../request-limits.ts';
import type { Connection } from './connect.ts';
import { toStoreError } from './errors.ts';
import * as flags from './ops/flags.ts';
import * as namespaces from './ops/namespaces.ts';
import * as rollouts from './ops/rollouts.ts';
import * as rules from './ops/rules.ts';
import * as segments from './ops/segments.ts';
import type { Write } from './write-context.ts';

export interface StoreHooks {
  /**
   * Asked before every write: a reason the database is known to be unreachable, so the write
   * fails at once instead of waiting for a connection timeout.
   */
  unavailableReason?(): string | undefined;
  /** Called after a write commits, before it returns: the source rebuilds that namespace. */
  committed?(namespaceKey: string): Promise<void>;
  /** Called when a write found the database unreachable (or stuck past the query timeout). */
  unreachable?(error: unknown): void;
}

/**
 * Flipt's management API over SQL. Every write is one transaction that first bumps its
 * namespace's revision: that row lock serialises writers of a namespace on PostgreSQL and
 * MySQL (SQLite serialises all writers), makes checks such as rank uniqueness race-free, and
 * tells every replica which namespace to reload. Any failure rolls the whole write back.
 */
export function createDatabaseStore(connection: Connection, hooks: StoreHooks = {}): ManagementStore {
  const { db } = connection;

  const failed = (error: unknown): EnsignError => {
    const mapped = toStoreError(error);
    if (mapped.code === 'unavailable') hooks.unreachable?.(error);
    return mapped;
  };

  async function run<T>(namespaceKey: string, work: (w: Write) => Promise<T>): Promise<T> {
    const reason = hooks.unavailableReason?.();
    if (reason !== undefined) {
      throw new EnsignError('unavailable', `database unavailable, change not saved: ${reason}`);
    }
    let result: T;
    try {
      result = await db.transaction().execute(async (trx) => {
        const now = new Date().toISOString();
        const bumped = await trx
          .updateTable('namespaces')
          .set((eb) => ({ revision: eb('revision', '+', 1), state_modified_at: now }))
          .where('key', '=', namespaceKey)
          .executeTakeFirst();
        if (Number(bumped.numUpdatedRows) === 0) throw namespaceNotFound(namespaceKey);
        const row = await trx
          .selectFrom('namespaces')
          .select('revision')
          .where('key', '=', namespaceKey)
          .executeTakeFirstOrThrow();
        return work({ trx, namespaceKey, seq: Number(row.revision), now });
      });
    } catch (error) {
      throw failed(error);
    }
    await hooks.committed?.(namespaceKey);
    return result;
  }

  const write =
    <R extends { namespaceKey: string }, T>(operation: (w: Write, request: R) => Promise<T>) =>
    (request: R) =>
      run(request.namespaceKey, (w) => operation(w, request));

  return withRequestLimits({
    writable: true,

    async createNamespace(request) {
      const reason = hooks.unavailableReason?.();
      if (reason !== undefined) {
        throw new EnsignError('unavailable', `database unavailable, change not saved: ${reason}`);
      }
      let namespace: Awaited<ReturnType<typeof namespaces.createNamespace>>;
      try {
        namespace = await db
          .transaction()
          .execute((trx) => namespaces.createNamespace(trx, request, new Date().toISOString()));
      } catch (error) {
        throw failed(error);
      }
      await hooks.committed?.(request.key);
      return namespace;
    },
    updateNamespace: (request) => run(request.key, (w) => namespaces.updateNamespace(w, request)),
    deleteNamespace: (request) => run(request.key, (w) => namespaces.deleteNamespace(w, request)),

    createFlag: write(flags.createFlag),
    updateFlag: write(flags.updateFlag),
    deleteFlag: write(flags.deleteFlag),
    createVariant: write(flags.createVariant),
    updateVariant: write(flags.updateVariant),
    deleteVariant: write(flags.deleteVariant),

    createSegment: write(segments.createSegment),
    updateSegment: write(segments.updateSegment),
    deleteSegment: write(segments.deleteSegment),
    createConstraint: write(segments.createConstraint),
    updateConstraint: write(segments.updateConstraint),
    deleteConstraint: write(segments.deleteConstraint),

    createRule: write(rules.createRule),
    updateRule: write(rules.updateRule),
    deleteRule: write(rules.deleteRule),
    orderRules: write(rules.orderRules),
    createDistribution: write(rules.createDistribution),
    updateDistribution: write(rules.updateDistribution),
    deleteDistribution: write(rules.deleteDistribution),

    createRollout: write(rollouts.createRollout),
    updateRollout: write(rollouts.updateRollout),
    deleteRollout: write(rollouts.deleteRollout),
    orderRollouts: write(rollouts.orderRollouts),
  });
}
