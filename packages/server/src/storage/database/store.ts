import { type EnsignError, namespaceNotFound } from '@ensign/core';
import type { ManagementStore } from '../management-store.ts';
import { withRequestLimits } from '../request-limits.ts';
import type { Connection } from './connect.ts';
import { isConnectionLost, toStoreError, unavailable } from './errors.ts';
import * as flags from './ops/flags.ts';
import * as namespaces from './ops/namespaces.ts';
import * as rollouts from './ops/rollouts.ts';
import * as rules from './ops/rules.ts';
import * as segments from './ops/segments.ts';
import type { Touched, Write } from './write-context.ts';

export interface StoreHooks {
  /**
   * Asked before every write: a reason the database is known to be unreachable, so the write
   * fails at once instead of waiting for a connection timeout.
   */
  unavailableReason?(): string | undefined;
  /**
   * Called after a write commits, before it returns, with the namespace revision it produced
   * (undefined for a created namespace) and what it changed: the source brings its snapshot up
   * to date.
   */
  committed?(namespaceKey: string, revision: number | undefined, touched: Touched): Promise<void>;
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

  /**
   * One write transaction, refused at once while the database is known to be unreachable. A
   * pooled connection that a failover or a restarted proxy cut while it sat idle only shows it
   * when the transaction begins; nothing that could commit was sent yet, so that case alone is
   * retried on another connection. Once the work has begun a lost connection is never retried:
   * the commit may have landed.
   */
  async function commit<T>(work: (trx: Write['trx']) => Promise<T>): Promise<T> {
    const reason = hooks.unavailableReason?.();
    if (reason !== undefined) throw unavailable(reason);
    for (let attempt = 1; ; attempt++) {
      let began = false;
      try {
        return await db.transaction().execute((trx) => {
          began = true;
          return work(trx);
        });
      } catch (error) {
        // One more attempt than the pool holds: every idle connection may have been cut at once.
        if (began || attempt > connection.poolSize || !isConnectionLost(error)) throw failed(error);
      }
    }
  }

  function failed(error: unknown): EnsignError {
    const mapped = toStoreError(error);
    // A cut connection says nothing of the next one; a timeout or a refusal does.
    if (mapped.code === 'unavailable' && !isConnectionLost(error)) hooks.unreachable?.(error);
    return mapped;
  }

  async function run<T>(namespaceKey: string, touched: Touched, work: (w: Write) => Promise<T>): Promise<T> {
    let revision = 0;
    const result = await commit(async (trx) => {
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
      revision = Number(row.revision);
      return work({ trx, namespaceKey, seq: revision, now });
    });
    await hooks.committed?.(namespaceKey, revision, touched);
    return result;
  }

  const write =
    <R extends { namespaceKey: string }, T>(
      operation: (w: Write, request: R) => Promise<T>,
      touches: (request: R) => Touched,
    ) =>
    (request: R) =>
      run(request.namespaceKey, touches(request), (w) => operation(w, request));
  const flag = (request: { key: string }): Touched => ({ flag: request.key });
  const ofFlag = (request: { flagKey: string }): Touched => ({ flag: request.flagKey });
  const segment = (request: { key: string }): Touched => ({ segment: request.key });
  const ofSegment = (request: { segmentKey: string }): Touched => ({ segment: request.segmentKey });
  const whole: Touched = { namespace: true };

  return withRequestLimits({
    writable: true,

    async createNamespace(request) {
      const namespace = await commit((trx) =>
        namespaces.createNamespace(trx, request, new Date().toISOString()),
      );
      await hooks.committed?.(request.key, undefined, whole);
      return namespace;
    },
    updateNamespace: (request) => run(request.key, whole, (w) => namespaces.updateNamespace(w, request)),
    deleteNamespace: (request) => run(request.key, whole, (w) => namespaces.deleteNamespace(w, request)),

    createFlag: write(flags.createFlag, flag),
    updateFlag: write(flags.updateFlag, flag),
    deleteFlag: write(flags.deleteFlag, flag),
    createVariant: write(flags.createVariant, ofFlag),
    updateVariant: write(flags.updateVariant, ofFlag),
    deleteVariant: write(flags.deleteVariant, ofFlag),

    createSegment: write(segments.createSegment, segment),
    updateSegment: write(segments.updateSegment, segment),
    deleteSegment: write(segments.deleteSegment, segment),
    createConstraint: write(segments.createConstraint, ofSegment),
    updateConstraint: write(segments.updateConstraint, ofSegment),
    deleteConstraint: write(segments.deleteConstraint, ofSegment),

    createRule: write(rules.createRule, ofFlag),
    updateRule: write(rules.updateRule, ofFlag),
    deleteRule: write(rules.deleteRule, ofFlag),
    orderRules: write(rules.orderRules, ofFlag),
    createDistribution: write(rules.createDistribution, ofFlag),
    updateDistribution: write(rules.updateDistribution, ofFlag),
    deleteDistribution: write(rules.deleteDistribution, ofFlag),

    createRollout: write(rollouts.createRollout, ofFlag),
    updateRollout: write(rollouts.updateRollout, ofFlag),
    deleteRollout: write(rollouts.deleteRollout, ofFlag),
    orderRollouts: write(rollouts.orderRollouts, ofFlag),
  });
}
