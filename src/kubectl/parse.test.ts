import { describe, expect, it } from 'vitest';
import { KubectlParseError, parseKubectl, tokenize } from './parse.js';
import { actionTargets, type Action } from './types.js';

function parseErr(line: string): KubectlParseError {
  try {
    parseKubectl(line);
  } catch (e) {
    expect(e).toBeInstanceOf(KubectlParseError);
    return e as KubectlParseError;
  }
  throw new Error(`expected "${line}" to fail`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const strip = (a: Action): any => {
  const { commandLine: _c, ...rest } = a as Action & { commandLine?: string };
  return rest;
};
const p = (line: string) => strip(parseKubectl(line));

describe('tokenize', () => {
  it('splits like a POSIX shell', () => {
    expect(tokenize(`patch svc kubia -p '{"spec":{"sessionAffinity":"None"}}'`)).toEqual(['patch', 'svc', 'kubia', '-p', '{"spec":{"sessionAffinity":"None"}}']);
    expect(tokenize(`a "b c" 'd e'f g\\ h`)).toEqual(['a', 'b c', 'd ef', 'g h']);
    expect(tokenize(`-p "{\\"a\\": \\"x\\\\y\\"}"`)).toEqual(['-p', '{"a": "x\\y"}']);
    expect(tokenize(`"keep \\n literal"`)).toEqual(['keep \\n literal']);
    expect(tokenize('delete pod a \\\n  --wait=false')).toEqual(['delete', 'pod', 'a', '--wait=false']);
    expect(tokenize("'' x")).toEqual(['', 'x']);
    expect(tokenize('scale deploy x --replicas=2 # a comment')).toEqual(['scale', 'deploy', 'x', '--replicas=2']);
    expect(tokenize("-p '$patch'")).toEqual(['-p', '$patch']);
  });
  it('rejects unterminated quotes and shell syntax', () => {
    expect(() => tokenize(`-p '{"a":1}`)).toThrow('unterminated single quote');
    expect(() => tokenize(`-p "{`)).toThrow('unterminated double quote');
    expect(() => tokenize('get pods | grep x')).toThrow('shell syntax "|" is not supported');
    expect(() => tokenize('delete pod $(kubectl get pods -o name)')).toThrow('shell syntax "$(" is not supported');
    expect(() => tokenize('-p "{\\"$patch\\": \\"delete\\"}"')).toThrow('shell expansion "$p" is not supported');
  });
});

describe('parseKubectl: apply / create', () => {
  it('parses -f (repeatable, comma lists), -R, -n and the optional kubectl word', () => {
    expect(p('kubectl apply -f a.yaml')).toEqual({ verb: 'apply', files: ['a.yaml'] });
    expect(p('apply -f a.yaml,b.yaml --filename=c.yaml -fd.yaml -R -n prod')).toEqual({
      verb: 'apply',
      files: ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml'],
      namespace: 'prod',
      recursive: true,
    });
    expect(p('create --namespace prod -f x.yaml')).toEqual({ verb: 'create', files: ['x.yaml'], namespace: 'prod' });
    expect(parseKubectl('apply -f a.yaml').commandLine).toBe('apply -f a.yaml');
  });
  it('requires -f and rejects resource arguments', () => {
    expect(parseErr('apply').message).toBe('must specify one of -f and -k');
    expect(parseErr('apply -f a.yaml deploy').message).toBe('Unexpected args: [deploy]');
    expect(parseErr('apply -f').message).toBe('flag needs an argument: \'f\' in -f');
    expect(parseErr('apply --filename').message).toBe('flag needs an argument: --filename');
  });
  it('create subcommands are not supported yet; unknown ones get a did-you-mean', () => {
    const e = parseErr('create quota q --hard=pods=1');
    expect(e.message).toBe('kubectl create quota is not supported yet');
    expect(e.hint).toContain('supported verbs: apply, create, delete, patch, scale, label, annotate');
    expect(parseErr('create -n x deployment web --image=nginx').message).toBe('kubectl create deployment is not supported yet');
    const u = parseErr('create confgmap x');
    expect(u.message).toBe('unknown command "confgmap" for "kubectl create"');
    expect(u.hint).toContain('did you mean "configmap"?');
  });
});

describe('parseKubectl: delete', () => {
  it('defaults: background cascade, wait, object grace period', () => {
    expect(p('delete pod kubia-0')).toEqual({
      verb: 'delete',
      target: { kind: 'Pod', names: ['kubia-0'] },
      cascade: 'background',
      wait: true,
      ignoreNotFound: false,
    });
  });
  it('names, TYPE/NAME forms, comma types, selectors, --all, -A', () => {
    expect(p('delete po a b -n ns1').target).toEqual({ kind: 'Pod', names: ['a', 'b'], namespace: 'ns1' });
    const mixed = parseKubectl('delete pod/a pod/b deployment.apps/c rs/d');
    expect(actionTargets(mixed)).toEqual([
      { kind: 'Pod', names: ['a', 'b'] },
      { kind: 'Deployment', names: ['c'] },
      { kind: 'ReplicaSet', names: ['d'] },
    ]);
    expect((mixed as any).target).toEqual({ kind: 'Pod', names: ['a', 'b'] });
    const sel = parseKubectl('delete pods,svc -l app=kubia');
    expect(actionTargets(sel)).toEqual([
      { kind: 'Pod', names: [], selector: 'app=kubia' },
      { kind: 'Service', names: [], selector: 'app=kubia' },
    ]);
    expect((sel as any).ignoreNotFound).toBe(true);
    expect(actionTargets(parseKubectl('delete pods,svc foo'))).toEqual([
      { kind: 'Pod', names: ['foo'] },
      { kind: 'Service', names: ['foo'] },
    ]);
    expect(p('delete rs --all -A')).toMatchObject({ target: { kind: 'ReplicaSet', names: [], all: true, allNamespaces: true }, ignoreNotFound: true });
    expect(p('delete rs --selector=app=a --ignore-not-found=false')).toMatchObject({ ignoreNotFound: false });
    expect(actionTargets(parseKubectl('delete all -l app=x')).map((t) => t.kind)).toEqual([
      'Pod',
      'ReplicationController',
      'Service',
      'DaemonSet',
      'Deployment',
      'ReplicaSet',
      'StatefulSet',
      'HorizontalPodAutoscaler',
      'CronJob',
      'Job',
    ]);
  });
  it('--cascade values, including the deprecated booleans and the bare flag', () => {
    expect(p('delete rs x --cascade=orphan').cascade).toBe('orphan');
    expect(p('delete rs x --cascade=foreground').cascade).toBe('foreground');
    expect(p('delete rs x --cascade').cascade).toBe('background');
    expect(p('delete rs x --cascade=false').cascade).toBe('orphan');
    expect(p('delete rs x --cascade=true').cascade).toBe('background');
    expect(parseErr('delete rs x --cascade=sideways').message).toBe('invalid cascade value (sideways). Must be "background", "foreground", or "orphan"');
  });
  it('grace period, --now and --force follow DeleteOptions.Complete', () => {
    expect(p('delete pod a --grace-period=30')).toMatchObject({ gracePeriodSeconds: 30 });
    expect(p('delete pod a --grace-period -1')).not.toHaveProperty('gracePeriodSeconds');
    expect(p('delete pod a --grace-period=0')).toMatchObject({ gracePeriodSeconds: 1 });
    expect(p('delete pod a --grace-period=0 --force')).toMatchObject({ gracePeriodSeconds: 0, force: true });
    expect(p('delete pod a --force')).toMatchObject({ gracePeriodSeconds: 0, force: true });
    expect(p('delete pod a --now')).toMatchObject({ gracePeriodSeconds: 1, now: true });
    expect(p('delete pod a --wait=false').wait).toBe(false);
    expect(p('delete pod a --wait=0').wait).toBe(false);
    expect(parseErr('delete pod a --now --grace-period=5').message).toBe('--now and --grace-period cannot be specified together');
    expect(parseErr('delete pod a --force --grace-period=5').message).toBe('--force and --grace-period greater than 0 cannot be specified together');
    expect(parseErr('delete pod a --grace-period=abc').message).toBe(
      'invalid argument "abc" for "--grace-period" flag: strconv.ParseInt: parsing "abc": invalid syntax',
    );
    expect(parseErr('delete pod a --wait=maybe').message).toBe('invalid argument "maybe" for "--wait" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
    expect(parseErr('delete pod a --grace-period').message).toBe('flag needs an argument: --grace-period');
  });
  it('delete -f', () => {
    expect(p('delete -f web.yaml --cascade=orphan')).toEqual({
      verb: 'delete',
      target: { kind: '', names: [] },
      files: ['web.yaml'],
      cascade: 'orphan',
      wait: true,
      ignoreNotFound: false,
    });
    expect(actionTargets(parseKubectl('delete -f web.yaml'))).toEqual([]);
    expect(parseErr('delete -f web.yaml pod a').message).toBe(
      'when paths, URLs, or stdin is provided as input, you may not specify a resource by arguments as well',
    );
  });
  it('resource argument errors use the resource builder wording', () => {
    expect(parseErr('delete pod a pod/b').message).toMatch(/^there is no need to specify a resource type as a separate argument/);
    expect(parseErr('delete pods').message).toBe('resource(s) were provided, but no name was specified');
    expect(parseErr('delete').message).toMatch(/^You must provide one or more resources by argument or filename\./);
    expect(parseErr('delete pod a -l app=x').message).toBe('name cannot be provided when a selector is specified');
    expect(parseErr('delete pod/a -l app=x').message).toBe('selectors and the all flag cannot be used when passing resource/name arguments');
    expect(parseErr('delete pod a -A').message).toBe('a resource cannot be retrieved by name across all namespaces');
    expect(parseErr('delete pod/a/b').message).toBe('arguments in resource/name form may not have more than one slash');
    expect(parseErr('delete pod/').message).toBe('arguments in resource/name form must have a single resource and name');
    expect(parseErr('delete pods --all -l a=b').message).toMatch(/setting 'all' parameter but found a non empty selector/);
    const unknown = parseErr('delete deploymnet web');
    expect(unknown.message).toBe('the server doesn\'t have a resource type "deploymnet"');
    expect(unknown.hint).toContain('"deployment"');
  });
  it('unknown and unsupported flags list what the verb supports', () => {
    const e = parseErr('delete pod a --gracePeriod=3');
    expect(e.message).toBe('unknown flag: --gracePeriod');
    expect(e.hint).toContain('did you mean --grace-period?');
    expect(e.hint).toContain('--cascade');
    expect(parseErr('delete pod a -x').message).toBe("unknown shorthand flag: 'x' in -x");
    const dry = parseErr('delete pod a --dry-run=client');
    expect(dry.message).toMatch(/^flag --dry-run of kubectl delete is not supported by the simulator/);
    expect(dry.hint).toContain('supported flags for delete');
    expect(parseErr('--context prod delete pod a').message).toMatch(/^flag --context of kubectl is not supported/);
    expect(parseErr('delete pod a --context=prod').message).toMatch(/^flag --context of kubectl delete is not supported/);
    expect(parseErr('--bogus delete pod a').message).toBe('unknown flag: --bogus');
  });
});

describe('parseKubectl: patch', () => {
  it('parses JSON and YAML patches, defaulting to strategic', () => {
    expect(p(`patch svc kubia -p '{"spec":{"sessionAffinity":"None"}}'`)).toEqual({
      verb: 'patch',
      target: { kind: 'Service', names: ['kubia'] },
      patchType: 'strategic',
      patch: { spec: { sessionAffinity: 'None' } },
    });
    expect(p(`patch deploy/web --type=merge --patch 'spec: {replicas: 3}'`)).toMatchObject({
      target: { kind: 'Deployment', names: ['web'] },
      patchType: 'merge',
      patch: { spec: { replicas: 3 } },
    });
    expect(p(`patch deploy web --type JSON -p='[{"op":"replace","path":"/spec/replicas","value":2}]'`)).toMatchObject({
      patchType: 'json',
      patch: [{ op: 'replace', path: '/spec/replicas', value: 2 }],
    });
  });
  it('errors', () => {
    expect(parseErr('patch deploy web').message).toBe('must specify --patch or --patch-file containing the contents of the patch');
    expect(parseErr(`patch deploy web -p '{}' --type=apply`).message).toBe('--type must be one of [json merge strategic], not "apply"');
    expect(parseErr(`patch deploy web --patch-file p.yaml`).message).toMatch(/^flag --patch-file of kubectl patch is not supported/);
    expect(parseErr(`patch deploy web -p '{"a": '`).message).toMatch(/^unable to parse "\{"a": ": /);
    expect(parseErr(`patch deploy web -p '[1]'`).message).toMatch(/a strategic merge patch must be an object/);
    expect(parseErr(`patch deploy web --type=json -p '{"a":1}'`).message).toMatch(/must be a list of operations/);
    expect(parseErr(`patch deploy web --type=json -p '[{"op":"frob","path":"/a"}]'`).message).toBe('Unexpected kind: frob');
    expect(parseErr(`patch deploy web --type=json -p '[{"op":"add","path":"/a"}]'`).message).toMatch(/missing "value"/);
    expect(parseErr(`patch deploy -p '{}'`).message).toBe('resource(s) were provided, but no name was specified');
    expect(parseErr(`patch deploy web -l app=x -p '{}'`).message).toBe("unknown shorthand flag: 'l' in -l");
  });
});

describe('parseKubectl: scale', () => {
  it('parses replicas, preconditions, selectors', () => {
    expect(p('scale deployment kubia --replicas=5')).toEqual({ verb: 'scale', target: { kind: 'Deployment', names: ['kubia'] }, replicas: 5 });
    expect(p('scale --replicas 0 --current-replicas=3 rs/a')).toEqual({ verb: 'scale', target: { kind: 'ReplicaSet', names: ['a'] }, replicas: 0, currentReplicas: 3 });
    expect(p('scale sts -l app=db --replicas=2')).toMatchObject({ target: { kind: 'StatefulSet', names: [], selector: 'app=db' } });
    expect(p('scale deploy --all --replicas=2')).toMatchObject({ target: { kind: 'Deployment', names: [], all: true } });
  });
  it('errors', () => {
    expect(parseErr('scale deploy kubia').message).toBe('required flag(s) "replicas" not set');
    expect(parseErr('scale deploy kubia --replicas=-1').message).toBe('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
    expect(parseErr('scale deploy kubia --replicas=2 --current-replicas=-2').message).toBe('The --current-replicas must specify an integer of -1 or greater');
    expect(parseErr('scale deploy kubia --replicas=two').message).toMatch(/^invalid argument "two" for "--replicas" flag/);
  });
});

describe('parseKubectl: label / annotate', () => {
  it('parses set and remove pairs with --overwrite', () => {
    expect(p('label pods kubia-0 env=debug tier- --overwrite')).toEqual({
      verb: 'label',
      target: { kind: 'Pod', names: ['kubia-0'] },
      overwrite: true,
      set: { env: 'debug' },
      remove: ['tier'],
    });
    expect(p('label po -l app=x --all-namespaces=false gpu=true')).toMatchObject({ target: { kind: 'Pod', names: [], selector: 'app=x' }, overwrite: false });
    expect(p('label -n ns1 node/n1 disk=ssd')).toMatchObject({ target: { kind: 'Node', names: ['n1'], namespace: 'ns1' } });
    expect(p(`annotate deploy web kubernetes.io/change-cause='v2 = new image' old-`)).toEqual({
      verb: 'annotate',
      target: { kind: 'Deployment', names: ['web'] },
      overwrite: false,
      set: { 'kubernetes.io/change-cause': 'v2 = new image' },
      remove: ['old'],
    });
    expect(p('annotate pods --all a=')).toMatchObject({ set: { a: '' }, target: { all: true } });
  });
  it('errors at parse time where kubectl catches them', () => {
    expect(parseErr('label pod a env=x=y').message).toBe('invalid label spec: env=x=y');
    expect(parseErr('label pod a env=-bad').message).toMatch(/^invalid label value: "env=-bad": a valid label must be an empty string/);
    expect(parseErr(`label pod a env=${'x'.repeat(64)}`).message).toMatch(/must be no more than 63 characters/);
    expect(parseErr('label pod a env=x env-').message).toBe('can not both modify and remove a label in the same command');
    expect(parseErr('annotate pod a k=v k-').message).toBe('can not both modify and remove the following annotation(s) in the same command: k');
    expect(parseErr('label pod a env=x b').message).toBe('all resources must be specified before label changes: b');
    expect(parseErr('label pod a').message).toBe('at least one label update is required');
    expect(parseErr('annotate pod a').message).toBe('at least one annotation update is required');
    expect(parseErr('label env=x').message).toBe('one or more resources must be specified as <resource> <name> or <resource>/<name>');
    expect(parseErr('label pods --all -l a=b x=y').message).toBe('cannot set --all and --selector at the same time');
  });
});

describe('parseKubectl: verbs', () => {
  it('unknown verbs list the supported ones and suggest the nearest', () => {
    const e = parseErr('delte pod a');
    expect(e.message).toBe('unknown command "delte" for "kubectl"');
    expect(e.hint).toContain('did you mean "delete"?');
    expect(e.hint).toContain('supported verbs: apply, create, delete, patch, scale, label, annotate');
    expect(e.commandLine).toBe('delte pod a');
  });
  it('planned verbs say "not supported yet", read-only verbs point to expectations', () => {
    expect(parseErr('set resources deploy/web --limits=cpu=200m').message).toBe('kubectl set resources is not supported yet');
    expect(parseErr('rollout').message).toBe('unknown command "" for "kubectl rollout"');
    expect(parseErr('edit deploy/web').message).toBe('kubectl edit is not supported yet');
    expect(parseErr('logs web').message).toMatch(/^kubectl logs is not a step: .*expect/);
    expect(parseErr('wait --for=condition=Ready pod/a').message).toMatch(/use a `wait:` step/);
    expect(parseErr('').message).toBe('empty kubectl command');
    expect(parseErr('kubectl').message).toBe('empty kubectl command');
  });
  it('pflag forms: grouped shorthands, -n=value, -nvalue, hex ints', () => {
    expect(p('delete pods -Al app=x').target).toEqual({ kind: 'Pod', names: [], selector: 'app=x', allNamespaces: true });
    expect(p('delete pod a -n=ns1').target.namespace).toBe('ns1');
    expect(p('delete pod a -nns2').target.namespace).toBe('ns2');
    expect(p('scale deploy a --replicas=0x10').replicas).toBe(16);
    expect(p('scale deploy a --replicas=010').replicas).toBe(8);
    expect(parseErr('scale deploy a --replicas=08').message).toMatch(/strconv.ParseInt: parsing "08": invalid syntax/);
  });
  it('global -n may precede the verb; `--` ends flags', () => {
    expect(p('-n prod scale deploy web --replicas=1').target).toEqual({ kind: 'Deployment', names: ['web'], namespace: 'prod' });
    expect(p('--namespace=prod delete pod -- -weird-name').target).toEqual({ kind: 'Pod', names: ['-weird-name'], namespace: 'prod' });
  });
  it('a custom resolver makes CRD types resolvable', () => {
    const a = parseKubectl('delete widgets w1', {
      resolveResource: (w) =>
        w === 'widgets'
          ? { kind: 'Widget', apiVersion: 'example.com/v1', group: 'example.com', version: 'v1', plural: 'widgets', singular: 'widget', shortNames: [], namespaced: true }
          : undefined,
    });
    expect(actionTargets(a)).toEqual([{ kind: 'Widget', names: ['w1'] }]);
  });
});
