// Pod status as the kubelet generates it (generateAPIPodStatus): the phase from getPhase
// (pkg/kubelet/kubelet_pods.go) and the kubelet-owned conditions from
// pkg/kubelet/status/generate.go, over API-shaped container statuses
// ({name, state: {waiting|running|terminated}, lastState, ready, started}).

export type ContainerRuntimeState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: number }
  | { kind: 'terminated'; exitCode: number; reason: string; startedAt: number; finishedAt: number; message?: string };

/** The parts of a v1.ContainerStatus the phase and conditions read. */
export interface ApiContainerStatus {
  name: string;
  state: { waiting?: any; running?: any; terminated?: { exitCode: number } & Record<string, any> };
  lastState?: { terminated?: { exitCode: number } & Record<string, any> };
  ready?: boolean;
  started?: boolean;
}

/** IsRestartableInitContainer: an init container with restartPolicy Always is a sidecar */
export function isRestartableInit(c: any): boolean {
  return c?.restartPolicy === 'Always';
}

function find(statuses: ApiContainerStatus[] | undefined, name: string): ApiContainerStatus | undefined {
  return statuses?.find((s) => s.name === name);
}

/** kubecontainer.HasAnyRegularContainerStarted: a regular container is running or has run */
export function anyRegularContainerStarted(spec: any, statuses: ApiContainerStatus[]): boolean {
  for (const c of spec.containers ?? []) {
    const s = find(statuses, c.name);
    if (!s) continue;
    if (s.state.running || s.state.terminated || (s.state.waiting && s.lastState?.terminated)) return true;
  }
  return false;
}

/**
 * getPhase (pkg/kubelet/kubelet_pods.go, 1.31): `statuses` holds init and regular container
 * statuses (names are unique across both lists).
 */
export function getPhase(spec: any, statuses: ApiContainerStatus[], podIsTerminal: boolean): string {
  const restartPolicy = spec.restartPolicy ?? 'Always';
  let pendingRestartableInit = 0;
  let pendingRegularInit = 0;
  let failedInit = 0;
  for (const c of spec.initContainers ?? []) {
    if (isRestartableInit(c)) continue;
    const s = find(statuses, c.name);
    if (!s) pendingRegularInit++;
    else if (s.state.running) pendingRegularInit++;
    else if (s.state.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingRegularInit++;
    } else pendingRegularInit++;
  }
  let unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const c of spec.initContainers ?? []) {
    if (!isRestartableInit(c)) continue;
    const s = find(statuses, c.name);
    if (!s) unknown++;
    else if (s.state.running) {
      if (!s.started) pendingRestartableInit++;
      running++;
    } else if (s.state.terminated) {
      // terminated sidecars are ignored
    } else if (s.state.waiting) {
      if (!s.lastState?.terminated) {
        pendingRestartableInit++;
        waiting++;
      }
    } else {
      pendingRestartableInit++;
      unknown++;
    }
  }
  for (const c of spec.containers ?? []) {
    const s = find(statuses, c.name);
    if (!s) unknown++;
    else if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingRegularInit > 0 || (pendingRestartableInit > 0 && !anyRegularContainerStarted(spec, statuses))) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    // a pod being deleted ends Succeeded only if every container exited 0 (1.27+)
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

export interface Condition {
  status: 'True' | 'False';
  reason?: string;
  message?: string;
}

const list = (names: string[]) => `[${names.join(' ')}]`;

/** GenerateContainersReadyCondition: sidecars and regular containers must all be ready */
export function containersReadyCondition(spec: any, statuses: ApiContainerStatus[] | undefined, phase: string): Condition {
  if (!statuses) return { status: 'False', reason: 'UnknownContainerStatuses' };
  const unknown: string[] = [];
  const unready: string[] = [];
  const inits: any[] | undefined = spec.initContainers;
  const check: any[] = inits?.length ? [...inits.filter(isRestartableInit), ...(spec.containers ?? [])] : spec.containers ?? [];
  for (const c of check) {
    const s = find(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { status: 'False', reason: 'PodFailed' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${list(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${list(unready)}`);
  if (msgs.length) return { status: 'False', reason: 'ContainersNotReady', message: msgs.join(', ') };
  return { status: 'True' };
}

/** GeneratePodReadyCondition: ContainersReady, then every readiness gate's condition must be True */
export function podReadyCondition(spec: any, conditions: any[], containersReady: Condition): Condition {
  if (containersReady.status !== 'True') return containersReady;
  const msgs: string[] = [];
  for (const g of spec.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === g.conditionType);
    if (!c) msgs.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') msgs.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (msgs.length) return { status: 'False', reason: 'ReadinessGatesNotReady', message: msgs.join(', ') };
  return { status: 'True' };
}

/** GeneratePodInitializedCondition: init containers exited 0, sidecars started */
export function initializedCondition(spec: any, statuses: ApiContainerStatus[] | undefined, phase: string): Condition {
  const inits: any[] = spec.initContainers ?? [];
  if (inits.length === 0) return { status: 'True' };
  if (!statuses) return { status: 'False', reason: 'UnknownContainerStatuses' };
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = find(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (isRestartableInit(c) ? !s.started : !s.ready) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { status: 'True', reason: 'PodCompleted' };
  if (anyRegularContainerStarted(spec, statuses)) return { status: 'True' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${list(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${list(incomplete)}`);
  if (msgs.length) return { status: 'False', reason: 'ContainersNotInitialized', message: msgs.join(', ') };
  return { status: 'True' };
}
