import { describe, expect, it } from 'vitest';
import { GIT_REPO_DISABLED, cloneDirName, compileRepositories, gitRepoSetUp, type GitRepository } from './git_repo.js';

const gitURL = 'https://github.com/kubernetes/kubernetes.git';
const revision = '2a30ce65c5ab586b98916d83385c5983edd353a1';
const repos: GitRepository[] = [
  {
    url: gitURL,
    commits: [
      { atMs: 0, revision, files: { README: 'old' } },
      { atMs: 60_000, revision: 'ffff0000ffff0000ffff0000ffff0000ffff0000', files: { README: 'new' } },
    ],
  },
];

// pkg/volume/git_repo/git_repo_test.go TestPlugin: the same scenarios, with the gate on (1.32)
// and off (1.33). Upstream checks the git commands and the directory each runs in; here the
// observable result is where the work tree lands in the volume and which commit it holds.
describe('gitRepo SetUp (git_repo_test.go TestPlugin)', () => {
  const cases: { name: string; source: { repository: string; revision?: string; directory?: string }; files?: Record<string, string>; error?: RegExp }[] = [
    { name: 'target-dir', source: { repository: gitURL, revision, directory: 'target_dir' }, files: { 'target_dir/README': 'old', 'target_dir/.git/HEAD': `${revision}\n` } },
    { name: 'target-dir-no-revision', source: { repository: gitURL, directory: 'target_dir' }, files: { 'target_dir/README': 'new', 'target_dir/.git/HEAD': 'ref: refs/heads/main\n' } },
    { name: 'only-git-clone', source: { repository: gitURL }, files: { 'kubernetes/README': 'new', 'kubernetes/.git/HEAD': 'ref: refs/heads/main\n' } },
    { name: 'no-target-dir', source: { repository: gitURL, revision, directory: '' }, files: { 'kubernetes/README': 'old', 'kubernetes/.git/HEAD': `${revision}\n` } },
    { name: 'current-dir', source: { repository: gitURL, revision, directory: '.' }, files: { README: 'old', '.git/HEAD': `${revision}\n` } },
    { name: 'current-dir-mess', source: { repository: gitURL, revision, directory: './.' }, files: { README: 'old', '.git/HEAD': `${revision}\n` } },
    { name: 'invalid-repository', source: { repository: '--foo' }, error: /^"--foo" is an invalid value for repository$/ },
    { name: 'invalid-revision', source: { repository: gitURL, revision: '--bar' }, error: /^"--bar" is an invalid value for revision$/ },
    { name: 'invalid-directory', source: { repository: gitURL, directory: '-b' }, error: /^"-b" is an invalid value for directory$/ },
    { name: 'invalid-revision-directory-combo', source: { repository: gitURL, revision: 'main', directory: 'foo/bar' }, error: /git checkout main.*not a git repository/s },
  ];
  for (const c of cases) {
    it(`${c.name}/gitRepoPluginDisabled:false`, () => {
      const r = gitRepoSetUp(c.source, repos, 90_000, '1.32');
      if (c.error) {
        expect('error' in r && r.error).toMatch(c.error);
      } else {
        expect(r).toEqual({ files: c.files });
      }
    });
    it(`${c.name}/gitRepoPluginDisabled:true`, () => {
      expect(gitRepoSetUp(c.source, repos, 90_000, '1.33')).toEqual({ error: GIT_REPO_DISABLED });
    });
  }
});

describe('gitRepo SetUp over virtual time', () => {
  it('clones the newest commit pushed by then; a commit not pushed yet cannot be checked out', () => {
    expect(gitRepoSetUp({ repository: gitURL, directory: '.' }, repos, 59_999, '1.30')).toMatchObject({ files: { README: 'old' } });
    expect(gitRepoSetUp({ repository: gitURL, directory: '.' }, repos, 60_000, '1.30')).toMatchObject({ files: { README: 'new' } });
    expect(gitRepoSetUp({ repository: gitURL, directory: '.', revision: 'ffff0000' }, repos, 30_000, '1.30')).toEqual({
      error: "failed to exec 'git checkout ffff0000': error: pathspec 'ffff0000' did not match any file(s) known to git\n: exit status 1",
    });
  });
  it('an unknown repository fails the clone', () => {
    expect(gitRepoSetUp({ repository: 'https://example.com/x.git' }, repos, 0, '1.30')).toMatchObject({ error: expect.stringContaining("fatal: repository 'https://example.com/x.git' not found") });
  });
  it('names the clone directory as git does', () => {
    expect(cloneDirName('https://github.com/luksa/kubia-website-example.git')).toBe('kubia-website-example');
    expect(cloneDirName('https://example.com/repo/')).toBe('repo');
    expect(cloneDirName('git@github.com:org/site.git')).toBe('site');
  });
});

describe('compileRepositories', () => {
  it('derives stable revisions and refuses commits out of order', () => {
    const errors: string[] = [];
    const c = { error: (_p: unknown, m: string) => void errors.push(m), duration: (_p: unknown, v: unknown, f?: number) => (v === undefined ? f : Number(String(v).replace('s', '')) * 1000) };
    const a = compileRepositories(c, { u: { commits: [{ at: '10s', files: { a: '1' } }, { at: '5s', files: { a: '2' } }] } });
    const b = compileRepositories(c, { u: { commits: [{ at: '10s', files: { a: '1' } }, { at: '5s', files: { a: '2' } }] } });
    expect(a[0].commits[0].revision).toMatch(/^[0-9a-f]{40}$/);
    expect(a[0].commits.map((x) => x.revision)).toEqual(b[0].commits.map((x) => x.revision));
    expect(errors[0]).toBe('commit 2 is pushed before the commit above it');
  });
});
