// kubectl rollout / set image / set env parsing (pkg/cmd/rollout, pkg/cmd/set).
import { describe, expect, it } from 'vitest';
import { parseKubectl, KubectlParseError } from './parse.js';

describe('kubectl rollout and set', () => {
  it('parses rollout subcommands with their flags', () => {
    expect(parseKubectl('kubectl rollout undo deployment/web --to-revision=2')).toMatchObject({ verb: 'rollout', subcommand: 'undo', revision: 2, target: { kind: 'Deployment', names: ['web'] } });
    expect(parseKubectl('rollout status deploy web --timeout=2m')).toMatchObject({ verb: 'rollout', subcommand: 'status', watch: true, timeoutMs: 120000 });
    expect(parseKubectl('rollout status deploy/web --watch=false -n prod')).toMatchObject({ watch: false, target: { namespace: 'prod' } });
    for (const sub of ['pause', 'resume', 'restart', 'history']) expect(parseKubectl(`rollout ${sub} deployment/web`)).toMatchObject({ subcommand: sub });
  });
  it('refuses a flag of another subcommand, as pflag would', () => {
    expect(() => parseKubectl('rollout status deployment/web --to-revision=1')).toThrow(/unknown flag: --to-revision/);
  });
  it('refuses kinds other than Deployment for now', () => {
    expect(() => parseKubectl('rollout restart statefulset/db')).toThrow(KubectlParseError);
  });
  it('parses set image and set env', () => {
    expect(parseKubectl('set image deployment/web web=nginx:1.28 sidecar=envoy:1')).toMatchObject({ verb: 'set', subcommand: 'image', images: { web: 'nginx:1.28', sidecar: 'envoy:1' } });
    expect(parseKubectl('set env deployment/web A=1 B- -c web')).toMatchObject({ verb: 'set', subcommand: 'env', env: { A: '1' }, remove: ['B'], containers: 'web' });
    expect(() => parseKubectl('set image deployment/web')).toThrow(/at least one image update/);
  });
});
