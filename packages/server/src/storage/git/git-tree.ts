import * as fs from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnsignError } from '@ensign/core';
import git, { type HttpClient } from 'isomorphic-git';
import semver from 'semver';
import type { FeatureTree } from '../declarative/feature-tree.ts';

export interface GitTreeOptions {
  url: string;
  /** Branch, tag or commit (static), or a semver range over tags. */
  ref: string;
  refType: 'static' | 'semver';
  /** Sub-directory holding the feature files ('' = the repository root). */
  directory: string;
  http: HttpClient;
  /** An existing directory to keep the clone in; a temporary one (removed on close) otherwise. */
  clonePath?: string;
  /** How long a branch name asked for by `reference` is trusted before fetching it again. */
  referenceTtlMs: number;
}

const COMMIT = /^[0-9a-f]{40}$/i;

/** A git repository over smart HTTP, fetched into a bare clone; revisions are commit hashes. */
export class GitTree implements FeatureTree {
  readonly location: string;
  readonly #options: GitTreeOptions;
  readonly #cache = {};
  #gitdir: string | undefined;
  #ownsGitdir = false;
  readonly #resolved = new Map<string, { commit: string; at: number }>();

  constructor(options: GitTreeOptions) {
    this.#options = options;
    this.location = withoutCredentials(options.url);
  }

  async revision(): Promise<string> {
    const { ref, refType } = this.#options;
    if (refType === 'semver') return this.#fetch(`refs/tags/${await this.#highestTag(ref)}`);
    if (COMMIT.test(ref)) return this.#commit(ref.toLowerCase());
    return this.#fetch(ref);
  }

  async list(revision: string): Promise<readonly string[]> {
    const all = await git.listFiles({ fs, gitdir: await this.#dir(), ref: revision, cache: this.#cache });
    const prefix = this.#options.directory === '' ? '' : `${this.#options.directory}/`;
    return all.filter((path) => path.startsWith(prefix)).map((path) => path.slice(prefix.length));
  }

  async read(revision: string, path: string): Promise<string | undefined> {
    const filepath = this.#options.directory === '' ? path : `${this.#options.directory}/${path}`;
    try {
      const { blob } = await git.readBlob({
        fs,
        gitdir: await this.#dir(),
        oid: revision,
        filepath,
        cache: this.#cache,
      });
      return Buffer.from(blob).toString('utf8');
    } catch (error) {
      if (error instanceof git.Errors.NotFoundError) return undefined;
      throw error;
    }
  }

  /** A branch or tag is fetched (and trusted for a while); a commit is looked up, fetching if unknown. */
  async resolve(reference: string): Promise<string> {
    if (COMMIT.test(reference)) return this.#commit(reference.toLowerCase());
    const known = this.#resolved.get(reference);
    if (known && Date.now() - known.at < this.#options.referenceTtlMs) return known.commit;
    let commit: string;
    try {
      commit = await this.#fetch(reference);
    } catch (error) {
      if (error instanceof git.Errors.NotFoundError) {
        throw new EnsignError('not_found', `reference "${reference}" not found in ${this.location}`);
      }
      throw error;
    }
    this.#resolved.set(reference, { commit, at: Date.now() });
    return commit;
  }

  async close(): Promise<void> {
    if (this.#gitdir && this.#ownsGitdir) await rm(this.#gitdir, { recursive: true, force: true });
    this.#gitdir = undefined;
  }

  async #dir(): Promise<string> {
    if (this.#gitdir) return this.#gitdir;
    let gitdir: string;
    if (this.#options.clonePath) {
      gitdir = this.#options.clonePath;
      await mkdir(gitdir, { recursive: true });
    } else {
      gitdir = await mkdtemp(join(tmpdir(), 'ensign-git-'));
      this.#ownsGitdir = true;
    }
    await git.init({ fs, gitdir, bare: true });
    await git.addRemote({ fs, gitdir, remote: 'origin', url: this.#options.url, force: true });
    this.#gitdir = gitdir;
    return gitdir;
  }

  /** Fetches one branch or tag and returns the commit it points at. */
  async #fetch(ref: string): Promise<string> {
    const result = await git.fetch({
      fs,
      http: this.#options.http,
      gitdir: await this.#dir(),
      url: this.#options.url,
      ref,
      singleBranch: true,
      tags: false,
      cache: this.#cache,
    });
    if (!result.fetchHead) throw new EnsignError('not_found', `ref "${ref}" not found in ${this.location}`);
    return this.#peel(result.fetchHead);
  }

  /** A commit by hash: from the clone, or after fetching every branch. */
  async #commit(oid: string): Promise<string> {
    const gitdir = await this.#dir();
    const known = await git.readCommit({ fs, gitdir, oid, cache: this.#cache }).then(
      () => true,
      () => false,
    );
    if (!known) {
      await git.fetch({ fs, http: this.#options.http, gitdir, url: this.#options.url, tags: false });
      await git.readCommit({ fs, gitdir, oid, cache: this.#cache }).catch(() => {
        throw new EnsignError('not_found', `commit ${oid} not found in ${this.location}`);
      });
    }
    return oid;
  }

  /** Annotated tags point at a tag object; evaluation needs the commit behind it. */
  async #peel(oid: string): Promise<string> {
    const gitdir = await this.#dir();
    const object = await git.readObject({ fs, gitdir, oid, cache: this.#cache });
    if (object.type !== 'tag') return oid;
    const { tag } = await git.readTag({ fs, gitdir, oid, cache: this.#cache });
    return this.#peel(tag.object);
  }

  /** The highest tag satisfying a semver constraint (Flipt's `ref_type: semver`). */
  async #highestTag(constraint: string): Promise<string> {
    const refs = await git.listServerRefs({
      http: this.#options.http,
      url: this.#options.url,
      prefix: 'refs/tags/',
    });
    const byVersion = new Map<string, string>();
    for (const { ref } of refs) {
      const tag = ref.slice('refs/tags/'.length);
      if (tag.endsWith('^{}')) continue;
      const version = semver.clean(tag, { loose: true });
      if (version) byVersion.set(version, tag);
    }
    // Flipt writes AND-ed constraints with commas (">= 1.0.0, < 2.0.0").
    const range = constraint.replaceAll(',', ' ');
    const best = semver.maxSatisfying([...byVersion.keys()], range);
    if (!best) throw new Error(`no tag of ${this.location} satisfies "${constraint}"`);
    return byVersion.get(best)!;
  }
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
