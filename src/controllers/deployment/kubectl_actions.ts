// What `kubectl rollout ...` and `kubectl set image|env` do to a Deployment, client-side as
// kubectl does it (staging/src/k8s.io/kubectl/pkg/polymorphichelpers: rollback.go,
// rollout_status.go, history.go, objectpauser.go, objectresumer.go, objectrestarter.go; and
// pkg/cmd/set/set_image.go, set_env.go), with kubectl's output lines and error texts.

import type { Cluster } from '../../engine/cluster.js';
import type { KubeObject } from '../../api/types.js';
import type { RolloutAction, SetAction } from '../../kubectl/types.js';
import { ApiError } from '../../api/errors.js';
import { cloneObject } from '../../api/clone.js';
import { getControllerOf } from '../../api/server.js';
import { timestamp } from '../../api/time.js';
import { ANNOTATIONS_TO_SKIP, POD_TEMPLATE_HASH_LABEL, REASON, equalIgnoreHash, getCondition, revisionOf } from './util.js';
import { formatDuration } from '../../util/duration.js';

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

export class RolloutCommandError extends Error {}

/** A step that completes later: `rollout status` waits as kubectl's watch does. */
export interface PendingRollout {
  /** done: finished (ok or error); output: lines printed so far */
  check(): { done: boolean; error?: string; output: string[] };
  timeoutMs?: number;
  /** the message when --timeout passes */
  timeoutError: string;
}

export interface RolloutOutcome {
  output: string[];
  pending?: PendingRollout;
}

function getDeployment(cluster: Cluster, action: RolloutAction | SetAction): KubeObject {
  const t = action.target;
  const name = t.names[0];
  const d = cluster.api.get('Deployment', t.namespace ?? 'default', name);
  if (!d) throw new RolloutCommandError(`Error from server (NotFound): deployments.apps "${name}" not found`);
  return d;
}

function ref(d: KubeObject): string {
  return `deployment.apps/${d.metadata.name}`;
}

function update(cluster: Cluster, d: KubeObject): KubeObject {
  try {
    return cluster.api.update(d);
  } catch (e) {
    if (e instanceof ApiError) throw new RolloutCommandError(`Error from server (${e.reason}): ${e.message}`);
    throw e;
  }
}

/** the ReplicaSets a Deployment controls (deploymentutil.GetAllReplicaSets: by selector and controllerRef) */
function replicaSetsOf(cluster: Cluster, d: KubeObject): KubeObject[] {
  const out: KubeObject[] = [];
  for (const rs of cluster.api.store.iterate('ReplicaSet', d.metadata.namespace)) if (getControllerOf(rs)?.uid === d.metadata.uid) out.push(rs);
  return out;
}

export function executeRollout(cluster: Cluster, action: RolloutAction): RolloutOutcome {
  const d = getDeployment(cluster, action);
  switch (action.subcommand) {
    case 'pause':
      if (d.spec?.paused) throw new RolloutCommandError(`error: deployments.apps "${d.metadata.name}" is already paused`);
      update(cluster, { ...d, spec: { ...d.spec, paused: true } });
      return { output: [`${ref(d)} paused`] };
    case 'resume': {
      if (!d.spec?.paused) throw new RolloutCommandError(`error: deployments.apps "${d.metadata.name}" is not paused`);
      const spec = { ...d.spec };
      delete spec.paused;
      update(cluster, { ...d, spec });
      return { output: [`${ref(d)} resumed`] };
    }
    case 'restart': {
      if (d.spec?.paused) throw new RolloutCommandError(`error: deployments.apps "${d.metadata.name}" can't restart paused deployment (run rollout resume first)`);
      const next = cloneObject(d);
      next.spec.template.metadata ??= {};
      // time.Now().Format(time.RFC3339): the virtual clock
      next.spec.template.metadata.annotations = { ...(next.spec.template.metadata.annotations ?? {}), [RESTARTED_AT_ANNOTATION]: timestamp(cluster.sim.now) };
      update(cluster, next);
      return { output: [`${ref(d)} restarted`] };
    }
    case 'undo':
      return { output: [undo(cluster, d, action.revision ?? 0)] };
    case 'history':
      return { output: history(cluster, d, action.revision ?? 0) };
    case 'status':
      return status(cluster, action);
  }
}

/** DeploymentRollbacker.Rollback: copy the target revision's template (minus the hash) back */
function undo(cluster: Cluster, d: KubeObject, toRevision: number): string {
  if (toRevision < 0) throw new RolloutCommandError(`error: unable to find specified revision ${toRevision} in history`);
  const rss = replicaSetsOf(cluster, d);
  let target: KubeObject | undefined;
  if (toRevision > 0) {
    target = rss.find((rs) => revisionOf(rs) === toRevision);
    if (!target) throw new RolloutCommandError(`error: unable to find specified revision ${toRevision} in history`);
  } else {
    // the second-newest revision (deploymentRevision with toRevision 0)
    let latest = -1, previous = -1;
    let latestRS: KubeObject | undefined;
    for (const rs of rss) {
      const v = revisionOf(rs);
      if (v === undefined) continue;
      if (latest < v) {
        previous = latest;
        target = latestRS;
        latest = v;
        latestRS = rs;
      } else if (previous < v) {
        previous = v;
        target = rs;
      }
    }
    if (!target) throw new RolloutCommandError(`error: no rollout history found for deployment "${d.metadata.name}"`);
  }
  if (d.spec?.paused) throw new RolloutCommandError(`error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`);
  if (equalIgnoreHash(target.spec?.template, d.spec?.template)) {
    return `${ref(d)} skipped rollback (current template already matches revision ${toRevision})`;
  }
  const template = cloneObject(target.spec.template);
  if (template.metadata?.labels) delete template.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  const annotations: Record<string, string> = {};
  for (const k of ANNOTATIONS_TO_SKIP) if (d.metadata.annotations?.[k] !== undefined) annotations[k] = d.metadata.annotations[k];
  for (const [k, v] of Object.entries(target.metadata.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  update(cluster, { ...d, metadata: { ...d.metadata, annotations }, spec: { ...d.spec, template } });
  return `${ref(d)} rolled back`;
}

/** DeploymentHistoryViewer.ViewHistory: the REVISION / CHANGE-CAUSE table */
function history(cluster: Cluster, d: KubeObject, revision: number): string[] {
  const byRevision = new Map<number, KubeObject>();
  for (const rs of replicaSetsOf(cluster, d)) {
    const v = revisionOf(rs);
    if (v !== undefined && v > 0) byRevision.set(v, rs);
  }
  if (revision > 0) {
    if (!byRevision.has(revision)) throw new RolloutCommandError(`error: unable to find the specified revision`);
    const rs = byRevision.get(revision)!;
    return [`${ref(d)} with revision #${revision}`, `Pod Template:`, `  Labels:\t${Object.entries(rs.spec?.template?.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')}`, ...(rs.spec?.template?.spec?.containers ?? []).map((c: any) => `  Containers:\n   ${c.name}:\n    Image:\t${c.image}`)];
  }
  if (byRevision.size === 0) return [`No rollout history found.`];
  const revisions = [...byRevision.keys()].sort((a, b) => a - b);
  const rows = revisions.map((r) => [String(r), byRevision.get(r)!.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] || '<none>']);
  const w = Math.max('REVISION'.length, ...rows.map((r) => r[0].length)) + 2;
  return [`${ref(d)} `, `${'REVISION'.padEnd(w)}CHANGE-CAUSE`, ...rows.map(([r, c]) => `${r.padEnd(w)}${c}`)];
}

/** DeploymentStatusViewer.Status: (message, done) or an error */
export function rolloutStatusMessage(d: KubeObject, revision = 0): { message: string; done: boolean; error?: string } {
  const name = d.metadata.name;
  if (revision > 0) {
    const current = revisionOf(d) ?? 0;
    if (revision !== current) return { message: '', done: false, error: `error: desired revision (${revision}) is different from the running revision (${current})` };
  }
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0)) {
    if (getCondition(s, 'Progressing')?.reason === REASON.TimedOut) return { message: '', done: false, error: `error: deployment "${name}" exceeded its progress deadline` };
    const replicas = d.spec?.replicas ?? 1;
    const updated = s.updatedReplicas ?? 0, total = s.replicas ?? 0, available = s.availableReplicas ?? 0;
    if (updated < replicas) return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`, done: false };
    if (total > updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...`, done: false };
    if (available < updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`, done: false };
    return { message: `deployment "${name}" successfully rolled out`, done: true };
  }
  return { message: `Waiting for deployment spec update to be observed...`, done: false };
}

/** `rollout status`: print each new status line until done; an error ends the step */
function status(cluster: Cluster, action: RolloutAction): RolloutOutcome {
  const t = action.target;
  const ns = t.namespace ?? 'default', name = t.names[0];
  getDeployment(cluster, action);
  const printed: string[] = [];
  const check = () => {
    const d = cluster.api.get('Deployment', ns, name);
    if (!d) return { done: true, error: `error: deployments.apps "${name}" not found`, output: printed };
    const r = rolloutStatusMessage(d, action.revision ?? 0);
    if (r.error) return { done: true, error: r.error, output: printed };
    if (r.message && printed[printed.length - 1] !== r.message) printed.push(r.message);
    return { done: r.done || action.watch === false, output: printed };
  };
  const first = check();
  if (first.done) {
    if (first.error) throw new RolloutCommandError(first.error);
    return { output: first.output };
  }
  const timeoutMs = action.timeoutMs && action.timeoutMs > 0 ? action.timeoutMs : undefined;
  return { output: [], pending: { check, ...(timeoutMs ? { timeoutMs } : {}), timeoutError: `error: timed out waiting for the condition${timeoutMs ? ` (${formatDuration(timeoutMs)})` : ''}` } };
}

export function executeSet(cluster: Cluster, action: SetAction): RolloutOutcome {
  const d = getDeployment(cluster, action);
  const next = cloneObject(d);
  const spec = next.spec.template.spec;
  if (action.subcommand === 'image') {
    const lists = [spec.initContainers ?? [], spec.containers ?? []];
    for (const [name, image] of Object.entries(action.images)) {
      let found = false;
      for (const list of lists) for (const c of list) if (name === '*' || c.name === name) {
        c.image = image;
        found = true;
      }
      if (!found) throw new RolloutCommandError(`error: unable to find container named "${name}"`);
    }
    if (equalIgnoreHash(d.spec.template, next.spec.template)) return { output: [] };
    update(cluster, next);
    return { output: [`${ref(d)} image updated`] };
  }
  const pattern = new RegExp(`^${action.containers.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  let matched = false;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if (!pattern.test(c.name)) continue;
    matched = true;
    let env: any[] = c.env ?? [];
    for (const [k, v] of Object.entries(action.env)) {
      const i = env.findIndex((e) => e.name === k);
      if (i >= 0) env[i] = { name: k, value: v };
      else env.push({ name: k, value: v });
    }
    env = env.filter((e) => !action.remove.includes(e.name));
    if (env.length) c.env = env;
    else delete c.env;
  }
  if (!matched) throw new RolloutCommandError(`error: unable to find container named ${action.containers}`);
  if (equalIgnoreHash(d.spec.template, next.spec.template)) return { output: [] };
  update(cluster, next);
  return { output: [`${ref(d)} env updated`] };
}
