// getPhase (pkg/kubelet/kubelet_pods.go) for pods without init containers; the pod lifecycle
// issue adds the init-container and sidecar branches.

export type ContainerRuntimeState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: number }
  | { kind: 'terminated'; exitCode: number; reason: string; startedAt: number; finishedAt: number };

export function getPhase(restartPolicy: string, states: ContainerRuntimeState[], podIsTerminal: boolean, specCount: number): string {
  let unknown = Math.max(specCount - states.length, 0);
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const s of states) {
    if (s.kind === 'running') running++;
    else if (s.kind === 'terminated') {
      stopped++;
      if (s.exitCode === 0) succeeded++;
    } else if (s.reason === 'CrashLoopBackOff') stopped++; // waiting with a last termination
    else waiting++;
  }
  if (states.length === 0) unknown = specCount;
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
