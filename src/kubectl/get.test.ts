// `kubectl get|describe` command lines -> view actions: get.go's flag set and the resource
// builder's rules (a type alone lists everything; names, TYPE/NAME, -l, -A), and clear errors
// for output formats and describers the simulator does not have.
import { describe, expect, it } from 'vitest';
import { KubectlParseError, parseKubectl } from './parse.js';

const parse = (line: string): any => {
  const { commandLine: _c, ...rest } = parseKubectl(line) as any;
  return rest;
};
const fails = (line: string): KubectlParseError => {
  try {
    parseKubectl(line);
  } catch (e) {
    expect(e).toBeInstanceOf(KubectlParseError);
    return e as KubectlParseError;
  }
  throw new Error(`expected "${line}" to fail`);
};

describe('kubectl get', () => {
  it('lists a whole type, names, TYPE/NAME and selectors', () => {
    expect(parse('get pods')).toEqual({ verb: 'get', target: { kind: 'Pod', names: [], all: true }, output: 'table' });
    expect(parse('get po web api -n prod -o wide')).toEqual({ verb: 'get', target: { kind: 'Pod', names: ['web', 'api'], namespace: 'prod' }, output: 'wide' });
    expect(parse('get deploy/web svc/web -o yaml').targets.map((t: any) => t.kind)).toEqual(['Deployment', 'Service']);
    expect(parse('get pods -l app=web --show-labels')).toEqual({ verb: 'get', target: { kind: 'Pod', names: [], selector: 'app=web' }, output: 'table', showLabels: true });
    expect(parse('get pods -A -o name').target).toEqual({ kind: 'Pod', names: [], all: true, allNamespaces: true });
  });

  it('expands all and comma-separated types in kubectl\'s order', () => {
    expect(parse('get all').targets.map((t: any) => t.kind)).toEqual(['Pod', 'ReplicationController', 'Service', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet', 'HorizontalPodAutoscaler', 'CronJob', 'Job']);
    expect(parse('get deploy,rs,po -l app=web').targets.map((t: any) => [t.kind, t.selector])).toEqual([['Deployment', 'app=web'], ['ReplicaSet', 'app=web'], ['Pod', 'app=web']]);
  });

  it('refuses output formats it cannot print, watching, and names across namespaces', () => {
    expect(fails('get pods -o jsonpath={.items}').message).toBe('unable to match a printer suitable for the output format "jsonpath={.items}", allowed formats are: json,name,wide,yaml');
    expect(fails('get pods -w').message).toMatch(/flag -w of kubectl get is not supported by the simulator: a step records one view/);
    expect(fails('get pod web -A').message).toBe('a resource cannot be retrieved by name across all namespaces');
    expect(fails('get').message).toMatch(/^You must specify the type of resource to get/);
  });
});

describe('kubectl describe', () => {
  it('describes pods, deployments, services and nodes', () => {
    expect(parse('describe pod web')).toEqual({ verb: 'describe', target: { kind: 'Pod', names: ['web'] }, showEvents: true });
    expect(parse('describe nodes --show-events=false')).toEqual({ verb: 'describe', target: { kind: 'Node', names: [], all: true }, showEvents: false });
  });
  it('says which kinds it can describe', () => {
    const e = fails('describe configmap app');
    expect(e.message).toBe('kubectl describe ConfigMap is not supported by the simulator yet');
    expect(e.hint).toContain('describe supports: pods, deployments, services, nodes');
  });
});
