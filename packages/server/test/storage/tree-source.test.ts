import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { EnsignError } from '@ensign/core';
import { silentLogger } from '../../src/observability/logger.ts';
import type { FeatureTree } from '../../src/storage/declarative/feature-tree.ts';
import { createTreeSource, type TreeSource } from '../../src/storage/declarative/tree-source.ts';
import { booleanFlagFile } from './helpers.ts';

/**
 * An in-memory FeatureTree: revisions are numbered versions of a file map, and every call is
 * counted, so the pipeline's decisions (what it reads, when it builds) can be observed.
 */
class MemoryTree implements FeatureTree {
  readonly location = 'memory://flags';
  versions: Record<string, string>[] = [];
  branches = new Map<string, number>();
  failing: string | undefined;
  calls = { revision: 0, list: 0, read: 0 };

  push(files: Record<string, string>): string {
    this.versions.push(files);
    return String(this.versions.length - 1);
  }
  async revision() {
    this.calls.revision++;
    if (this.failing) throw new Error(this.failing);
    return String(this.versions.length - 1);
  }
  async list(revision: string) {
    this.calls.list++;
    return Object.keys(this.versions[Number(revision)]!);
  }
  async read(revision: string, path: string) {
    this.calls.read++;
    return this.versions[Number(revision)]![path];
  }
  async resolve(reference: string) {
    const at = this.branches.get(reference);
    if (at === undefined) throw new EnsignError('not_found', `reference "${reference}" not found`);
    return String(at);
  }
}

const sources: TreeSource[] = [];
afterEach(async () => {
  for (const source of sources.splice(0)) await source.close();
});

function follow(tree: MemoryTree, pollIntervalMs = 60_000): TreeSource {
  const source = createTreeSource({ type: 'memory', tree, policy: { pollIntervalMs } }, silentLogger());
  sources.push(source);
  return source;
}

const enabled = (source: TreeSource, flagKey: string) =>
  source
    .current()
    .namespace('default')!
    .evaluator.boolean({ namespaceKey: 'default', flagKey, entityId: 'u' }).enabled;

describe('declarative pipeline', () => {
  it('reads and builds only when the revision moves', async () => {
    const tree = new MemoryTree();
    tree.push({ 'features.yml': booleanFlagFile('banner', true) });
    const source = follow(tree);
    await source.start();
    const reads = { ...tree.calls };
    await source.refresh();
    await source.refresh();
    assert.equal(tree.calls.list, reads.list, 'no listing for an unchanged revision');
    assert.equal(tree.calls.read, reads.read);
    tree.push({ 'features.yml': booleanFlagFile('banner', false) });
    await source.refresh();
    assert.equal(enabled(source, 'banner'), false);
    assert.equal(source.status().revision, '1');
  });

  it('an unreachable tree degrades, then recovers without a rebuild when nothing changed', async () => {
    const tree = new MemoryTree();
    tree.push({ 'features.yml': booleanFlagFile('banner', true) });
    const source = follow(tree);
    await source.start();
    const served = source.current();
    const swaps: unknown[] = [];
    source.onChange((s) => swaps.push(s));
    tree.failing = 'connect ECONNREFUSED';
    await source.refresh();
    assert.equal(source.status().state, 'degraded');
    assert.equal(source.status().error, 'connect ECONNREFUSED');
    assert.equal(source.status().sync?.errors, 1);
    assert.equal(source.current(), served);
    tree.failing = undefined;
    await source.refresh();
    assert.equal(source.status().state, 'ok');
    assert.equal(source.status().error, undefined);
    assert.equal(swaps.length, 0, 'the same revision is not rebuilt');
  });

  it('a broken revision is read once, not on every poll, and the next good one is served', async () => {
    const tree = new MemoryTree();
    tree.push({ 'features.yml': booleanFlagFile('banner', true) });
    const source = follow(tree);
    await source.start();
    tree.push({ 'features.yml': 'version: "1.4"\nflags:\n  - key: banner\n    enabled: maybe\n' });
    await source.refresh();
    const reads = tree.calls.read;
    await source.refresh();
    await source.refresh();
    assert.equal(tree.calls.read, reads);
    assert.equal(source.status().state, 'degraded');
    assert.equal(enabled(source, 'banner'), true);
    tree.push({ 'features.yml': booleanFlagFile('banner', false) });
    await source.refresh();
    assert.equal(source.status().state, 'ok');
    assert.equal(enabled(source, 'banner'), false);
  });

  it('backs off while failing and polls at the interval again after recovery', async () => {
    const tree = new MemoryTree();
    tree.push({ 'features.yml': booleanFlagFile('banner', true) });
    const source = follow(tree, 20);
    await source.start();
    tree.failing = 'down';
    const before = tree.calls.revision;
    await new Promise((resolve) => setTimeout(resolve, 700));
    const whileFailing = tree.calls.revision - before;
    // 20, 40, 80, 160, 320 ms: about five attempts in 700 ms, not thirty-five.
    assert.ok(whileFailing >= 3 && whileFailing <= 7, `${whileFailing} attempts while failing`);
    tree.failing = undefined;
    await new Promise((resolve) => setTimeout(resolve, 700));
    const recovered = tree.calls.revision;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const polls = tree.calls.revision - recovered;
    assert.ok(polls >= 6, `polling at the interval again (${polls} polls in 500 ms)`);
    assert.equal(source.status().state, 'ok');
  });

  it('serves a reference from its own snapshot, keeping a few', async () => {
    const tree = new MemoryTree();
    const old = tree.push({ 'features.yml': booleanFlagFile('banner', false) });
    tree.push({ 'features.yml': booleanFlagFile('banner', true) });
    tree.branches.set('old', Number(old));
    const source = follow(tree);
    await source.start();
    const atOld = await source.at!('old');
    assert.equal(
      atOld
        .namespace('default')!
        .evaluator.boolean({ namespaceKey: 'default', flagKey: 'banner', entityId: 'u' }).enabled,
      false,
    );
    assert.equal(await source.at!('old'), atOld, 'cached');
    assert.equal(enabled(source, 'banner'), true);
    await assert.rejects(source.at!('nope'), /reference "nope" not found/);
    assert.equal(await source.at!(''), source.current());
  });
});
