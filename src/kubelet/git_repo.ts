// gitRepo volumes (pkg/volume/git_repo/git_repo.go): an emptyDir that the kubelet fills once, at
// SetUp, with `git clone -- <repository> [<directory>]`, then `git checkout <revision>` and
// `git reset --hard` when a revision is given. It is never updated afterwards (RequiresRemount
// false): a pod created before a push keeps the old tree, a pod created after sees the new one.
// The repositories are declared in the scenario (`repositories:`, a commit history over virtual
// time); "HEAD" is the newest commit at or before the instant of SetUp.
//
// Disabled by default from 1.33 (feature gate GitRepoVolumeDriver, KEP-5040, PR #129923): SetUpAt
// fails with the plugin's error, so the kubelet records FailedMount and the pod stays in
// ContainerCreating. The scenario cannot turn the gate back on (see docs/fidelity.md).

import { createHash } from 'node:crypto';
import { posix } from 'node:path';

export interface GitCommit {
  /** virtual ms from which the commit exists (pushed) */
  atMs: number;
  /** its hash: given in the scenario, or derived from its content */
  revision: string;
  /** the whole tree at this commit: relative path -> content */
  files: Record<string, string>;
}

export interface GitRepository {
  url: string;
  /** oldest first */
  commits: GitCommit[];
}

/** upstream's message when the gate is off (git_repo.go SetUpAt, v1.33) */
export const GIT_REPO_DISABLED =
  'git-repo volume plugin has been disabled; if necessary, it may be re-enabled by enabling the feature-gate `GitRepoVolumeDriver`';

/** GitRepoVolumeDriver defaults to false from 1.33 (and is locked off from 1.36, PR #136400) */
export function gitRepoDriverEnabled(kubernetesVersion: string): boolean {
  const [major, minor] = kubernetesVersion.split('.').map(Number);
  return major < 1 || (major === 1 && minor < 33);
}

/** A stable 40-hex commit id for a commit the scenario did not name. */
export function commitHash(url: string, index: number, files: Record<string, string>): string {
  const h = createHash('sha1');
  h.update(`${url}\n${index}\n`);
  for (const k of Object.keys(files).sort()) h.update(`${k}\0${files[k]}\0`);
  return h.digest('hex');
}

/** validateNonFlagArgument: an argument starting with '-' would be read by git as an option */
function validateNonFlagArgument(arg: string, name: string): string | undefined {
  return arg.startsWith('-') ? `${JSON.stringify(arg)} is an invalid value for ${name}` : undefined;
}

/** The directory `git clone <url>` creates: the last path component without ".git" (git's guess_dir_name). */
export function cloneDirName(url: string): string {
  let s = url.replace(/\/+$/, '');
  s = s.replace(/\/\.git$/, '').replace(/\.git$/, '');
  const tail = s.split(/[/:]/).filter(Boolean).pop() ?? s;
  return tail || 'repo';
}

export interface GitRepoSource {
  repository?: string;
  revision?: string;
  directory?: string;
}

/**
 * SetUpAt of one gitRepo volume at virtual time `nowMs`: the files the volume holds (relative to
 * the volume's root), or the error the kubelet reports in FailedMount.
 */
export function gitRepoSetUp(
  source: GitRepoSource,
  repos: readonly GitRepository[],
  nowMs: number,
  kubernetesVersion: string,
): { files: Record<string, string> } | { error: string } {
  if (!gitRepoDriverEnabled(kubernetesVersion)) return { error: GIT_REPO_DISABLED };
  const url = source.repository ?? '';
  const revision = source.revision ?? '';
  const target = source.directory ?? '';
  for (const [arg, name] of [[url, 'repository'], [revision, 'revision'], [target, 'directory']] as const) {
    const err = validateNonFlagArgument(arg, name);
    if (err) return { error: err };
  }
  const args = ['clone', '--', url, ...(target ? [target] : [])];
  const cloneInto = target ? target : cloneDirName(url);
  const repo = repos.find((r) => r.url === url);
  if (!repo) {
    return { error: `failed to exec 'git ${args.join(' ')}': Cloning into '${cloneInto}'...\nfatal: repository '${url}' not found\n: exit status 128` };
  }
  const pushed = repo.commits.filter((c) => c.atMs <= nowMs);
  const head: GitCommit | undefined = pushed[pushed.length - 1];
  // where the clone lands inside the volume: "." is the volume itself
  const clean = target ? posix.normalize(target) : cloneInto;
  const prefix = clean === '.' || clean === './' ? '' : `${clean.replace(/\/+$/, '')}/`;
  let commit: GitCommit | undefined = head;
  if (revision) {
    // with a revision, upstream runs checkout in the volume ('.') or in its only entry: a nested
    // directory (foo/bar) leaves "foo" there, which is not a repository
    if (prefix.split('/').filter(Boolean).length > 1) {
      return { error: `failed to exec 'git checkout ${revision}': fatal: not a git repository (or any of the parent directories): .git\n: exit status 128` };
    }
    commit = pushed.find((c) => c.revision === revision || (revision.length >= 4 && c.revision.startsWith(revision)));
    if (!commit) {
      return { error: `failed to exec 'git checkout ${revision}': error: pathspec '${revision}' did not match any file(s) known to git\n: exit status 1` };
    }
  }
  const files: Record<string, string> = {};
  // an empty repository clones to an empty work tree (git warns, and succeeds)
  for (const [path, content] of Object.entries(commit?.files ?? {})) files[prefix + posix.normalize(path).replace(/^\/+/, '')] = content;
  files[`${prefix}.git/HEAD`] = revision && commit ? `${commit.revision}\n` : 'ref: refs/heads/main\n';
  return { files };
}

/** What compile.ts's Compiler offers (structural, so this module does not import it). */
interface RepoCompiler {
  error(p: (string | number)[], message: string, hint?: string, code?: string): void;
  duration(p: (string | number)[], v: unknown, fallback?: number): number | undefined;
}

/** `repositories:` of a scenario: URL -> {commits: [{at, revision?, files}]}, commits in time order. */
export function compileRepositories(c: RepoCompiler, raw: unknown): GitRepository[] {
  if (raw === undefined || raw === null || typeof raw !== 'object') return [];
  const out: GitRepository[] = [];
  for (const [url, r] of Object.entries(raw as Record<string, any>)) {
    const commits: GitCommit[] = [];
    const seen = new Set<string>();
    let last = -1;
    ((r?.commits ?? []) as any[]).forEach((cm, i) => {
      const p = ['repositories', url, 'commits', i];
      const atMs = c.duration([...p, 'at'], cm?.at, 0) ?? 0;
      if (atMs < last) c.error([...p, 'at'], `commit ${i + 1} is pushed before the commit above it`, 'list the commits oldest first');
      last = Math.max(last, atMs);
      const files: Record<string, string> = {};
      for (const [k, v] of Object.entries((cm?.files ?? {}) as Record<string, unknown>)) {
        if (k.startsWith('/') || k.split('/').includes('..')) c.error([...p, 'files', k], `file path ${JSON.stringify(k)} must be relative to the repository root`, 'write index.html or docs/intro.md');
        files[k] = String(v);
      }
      const revision = cm?.revision !== undefined ? String(cm.revision) : commitHash(url, i, files);
      if (seen.has(revision)) c.error([...p, 'revision'], `revision ${revision} is used by two commits`, 'give each commit its own revision, or leave it out');
      seen.add(revision);
      commits.push({ atMs, revision, files });
    });
    out.push({ url, commits });
  }
  return out;
}
