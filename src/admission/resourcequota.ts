// ResourceQuota: what an object uses (pkg/quota/v1/evaluator/core: pods.go PodUsageFunc,
// services.go, persistent_volume_claims.go, generic object counts) and the admission check
// (staging apiserver pkg/admission/plugin/resourcequota/controller.go:checkRequest) that rejects
// a create pushing status.used past status.hard, then charges status.used.

import type { ApiServer } from '../api/server.js';
import type { KubeObject } from '../api/types.js';
import { formatQuantity, parseQuantity, type QuantityFormat } from '../api/quantity.js';
import { pluralOf } from '../api/errors.js';
import { computePodQOS } from '../api/qos.js';
import { parseTimestamp } from '../api/time.js';

/** usage in nano-units per resource name */
export type Usage = Map<string, bigint>;
const ONE = 1_000_000_000n;

/** the legacy object-count names (pkg/quota/v1/evaluator/core/registry.go legacyObjectCountAliases) */
const LEGACY_COUNT: Record<string, string> = {
  Pod: 'pods', Service: 'services', ReplicationController: 'replicationcontrollers', ResourceQuota: 'resourcequotas',
  Secret: 'secrets', ConfigMap: 'configmaps', PersistentVolumeClaim: 'persistentvolumeclaims',
};

/** count/<resource>[.<group>] (ObjectCountQuotaResourceNameFor) */
export function countResourceName(obj: { kind: string; apiVersion?: string }): string {
  const group = obj.apiVersion?.includes('/') ? obj.apiVersion.split('/')[0] : '';
  return `count/${pluralOf(obj.kind)}${group ? `.${group}` : ''}`;
}

/** QuotaV1Pod: a terminal pod, or one past its deletion grace, no longer uses compute quota. */
export function podCountsForQuota(pod: KubeObject, now: number): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const del = parseTimestamp(pod.metadata.deletionTimestamp);
  if (del !== undefined && pod.metadata.deletionGracePeriodSeconds !== undefined) {
    if (now > del + pod.metadata.deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

function add(u: Usage, k: string, v: bigint): void {
  u.set(k, (u.get(k) ?? 0n) + v);
}

/** podComputeUsageHelper over one requests/limits pair */
function computeUsage(requests: Record<string, any>, limits: Record<string, any>): Usage {
  const u: Usage = new Map();
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (requests[r] !== undefined) {
      const n = parseQuantity(requests[r]).nano;
      if (r !== 'ephemeral-storage') add(u, r, n);
      add(u, `requests.${r}`, n);
    }
    if (limits[r] !== undefined) add(u, `limits.${r}`, parseQuantity(limits[r]).nano);
  }
  return u;
}

/** PodUsageFunc: count/pods always; pods and compute only for non-terminal pods. */
export function podUsage(pod: KubeObject, now: number): Usage {
  const u: Usage = new Map([['count/pods', ONE]]);
  if (!podCountsForQuota(pod, now)) return u;
  u.set('pods', ONE);
  // PodRequests/PodLimits: sum of containers, raised to the largest init container
  const sum: Usage = new Map();
  for (const c of pod.spec?.containers ?? []) for (const [k, v] of computeUsage(c.resources?.requests ?? {}, c.resources?.limits ?? {})) add(sum, k, v);
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of computeUsage(c.resources?.requests ?? {}, c.resources?.limits ?? {})) if (v > (sum.get(k) ?? 0n)) sum.set(k, v);
  }
  for (const [k, v] of sum) u.set(k, v);
  return u;
}

/** Usage of any object: evaluator per kind, else a plain object count. */
export function objectUsage(obj: KubeObject, now: number): Usage {
  if (obj.kind === 'Pod') return podUsage(obj, now);
  const u: Usage = new Map([[countResourceName(obj), ONE]]);
  const legacy = LEGACY_COUNT[obj.kind];
  if (legacy) u.set(legacy, ONE);
  if (obj.kind === 'Service') {
    const type = obj.spec?.type;
    if (type === 'NodePort' || type === 'LoadBalancer') u.set('services.nodeports', BigInt((obj.spec?.ports ?? []).length) * ONE);
    if (type === 'LoadBalancer') u.set('services.loadbalancers', ONE);
  }
  if (obj.kind === 'PersistentVolumeClaim') {
    const s = obj.spec?.resources?.requests?.storage;
    if (s !== undefined) {
      u.set('requests.storage', parseQuantity(s).nano);
      const sc = obj.spec?.storageClassName;
      if (sc) {
        u.set(`${sc}.storageclass.storage.k8s.io/requests.storage`, parseQuantity(s).nano);
        u.set(`${sc}.storageclass.storage.k8s.io/persistentvolumeclaims`, ONE);
      }
    }
  }
  return u;
}

/** The resources an evaluator can charge for a kind (MatchingResources). */
export function evaluatorMatches(kind: string, apiVersion: string | undefined, resource: string): boolean {
  if (resource === countResourceName({ kind, apiVersion })) return true;
  if (LEGACY_COUNT[kind] === resource) return true;
  if (kind === 'Pod') return ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'requests.ephemeral-storage', 'limits.ephemeral-storage'].includes(resource);
  if (kind === 'Service') return resource === 'services.nodeports' || resource === 'services.loadbalancers';
  if (kind === 'PersistentVolumeClaim') return resource === 'requests.storage' || /\.storageclass\.storage\.k8s\.io\/(requests\.storage|persistentvolumeclaims)$/.test(resource);
  return false;
}

/** podMatchesScopeFunc; scoped quotas never match other kinds (matchesNoScopeFunc). */
export function matchesScopes(quota: KubeObject, obj: KubeObject): boolean {
  const scopes: string[] = [...(quota.spec?.scopes ?? []), ...((quota.spec?.scopeSelector?.matchExpressions ?? []) as any[]).filter((e) => e.operator === 'Exists').map((e) => e.scopeName)];
  for (const s of scopes) {
    if (obj.kind !== 'Pod') return false;
    const ads = obj.spec?.activeDeadlineSeconds;
    const terminating = typeof ads === 'number' && ads >= 0;
    const bestEffort = (obj.status?.qosClass ?? computePodQOS(obj.spec)) === 'BestEffort';
    const ok = s === 'Terminating' ? terminating : s === 'NotTerminating' ? !terminating : s === 'BestEffort' ? bestEffort : s === 'NotBestEffort' ? !bestEffort : false;
    if (!ok) return false;
  }
  return true;
}

/** pods.go Constraints: a quota on cpu/memory makes every container declare it. */
const VALIDATION_SET = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];
export function podConstraints(required: string[], pod: KubeObject): string | undefined {
  const req = required.filter((r) => VALIDATION_SET.includes(r));
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const have = computeUsage(c.resources?.requests ?? {}, c.resources?.limits ?? {});
    for (const r of req) {
      if (have.has(r)) continue;
      if (!missing.has(r)) missing.set(r, new Set());
      missing.get(r)!.add(c.name);
    }
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

/** Format a usage value as a quantity: cpu-like decimal, byte-like binary. */
export function formatUsage(resource: string, nano: bigint, like?: string | number): string {
  let format: QuantityFormat = /memory|storage/.test(resource) ? 'BinarySI' : 'DecimalSI';
  if (like !== undefined) format = parseQuantity(like).format;
  return formatQuantity({ nano, format });
}

function prettyPrint(list: Record<string, string>): string {
  return Object.keys(list).sort().map((k) => `${k}=${list[k]}`).join(',');
}

/**
 * checkRequest on CREATE. Returns an error message (the caller wraps it as Forbidden) or
 * undefined after charging every matching quota's status.used.
 */
export function admitQuota(api: ApiServer, obj: KubeObject): string | undefined {
  const ns = obj.metadata.namespace;
  if (!ns) return undefined;
  const quotas = api.list('ResourceQuota', ns);
  if (quotas.length === 0) return undefined;
  const now = api.sim.now;
  const interesting: { quota: KubeObject; restricted: string[] }[] = [];
  for (const quota of quotas) {
    const hard = (quota.status?.hard ?? {}) as Record<string, string>;
    // status.hard, not spec.hard: a quota the controller has not synced yet restricts nothing
    const restricted = Object.keys(hard).filter((r) => evaluatorMatches(obj.kind, obj.apiVersion, r)).sort();
    if (restricted.length === 0 || !matchesScopes(quota, obj)) continue;
    if (obj.kind === 'Pod') {
      const e = podConstraints(restricted, obj);
      if (e) return `failed quota: ${quota.metadata.name}: ${e}`;
    }
    const used = (quota.status?.used ?? {}) as Record<string, string>;
    if (!restricted.every((r) => used[r] !== undefined)) {
      return `status unknown for quota: ${quota.metadata.name}, resources: ${restricted.join(',')}`;
    }
    interesting.push({ quota, restricted });
  }
  if (interesting.length === 0) return undefined;
  const delta = objectUsage(obj, now);
  for (const [k, v] of [...delta]) if (v === 0n) delta.delete(k);
  if (delta.size === 0) return undefined;
  const updates: { quota: KubeObject; used: Record<string, string> }[] = [];
  for (const { quota } of interesting) {
    const hard = quota.status.hard as Record<string, string>;
    const used = quota.status.used as Record<string, string>;
    const requested = [...delta].filter(([k]) => hard[k] !== undefined);
    const newUsed = { ...used };
    const exceeded: string[] = [];
    for (const [k, v] of requested) {
      const total = parseQuantity(used[k] ?? 0).nano + v;
      newUsed[k] = formatUsage(k, total, used[k] && used[k] !== '0' ? used[k] : hard[k]);
      if (total > parseQuantity(hard[k]).nano) exceeded.push(k);
    }
    if (exceeded.length) {
      const pick = (f: (k: string) => string) => Object.fromEntries(exceeded.map((k) => [k, f(k)]));
      return `exceeded quota: ${quota.metadata.name}, requested: ${prettyPrint(pick((k) => formatUsage(k, delta.get(k)!, hard[k])))}, used: ${prettyPrint(pick((k) => formatQuantity(parseQuantity(used[k] ?? 0))))}, limited: ${prettyPrint(pick((k) => formatQuantity(parseQuantity(hard[k]))))}`;
    }
    if (requested.length) updates.push({ quota, used: newUsed });
  }
  // all quotas admit: charge them (the quota admission controller writes status.used)
  for (const { quota, used } of updates) {
    api.mutate('ResourceQuota', ns, quota.metadata.name!, (d) => {
      d.status = { ...(d.status ?? {}), used };
    }, 'status');
  }
  return undefined;
}
