// command/args: pkg/kubelet/container/helpers.go ExpandContainerCommandAndArgs and
// ExpandContainerVolumeMounts (subPathExpr); the entrypoint/cmd merge is the container runtime's
// (CRI: Entrypoint = command or image ENTRYPOINT; Cmd = args, or image CMD only when command is unset).
import type { EnvVar } from './envvars.js';
import { expand, mappingFuncFor } from './expand.js';

function envMap(env: readonly EnvVar[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of env) m.set(e.name, e.value);
  return m;
}

/** ExpandContainerCommandAndArgs: `$(VAR)` against the final container env; unknown stays literal. */
export function expandContainerCommandAndArgs(container: any, env: readonly EnvVar[]): { command: string[]; args: string[] } {
  const mapping = mappingFuncFor(envMap(env));
  return {
    command: ((container?.command ?? []) as unknown[]).map((c) => expand(String(c), mapping)),
    args: ((container?.args ?? []) as unknown[]).map((a) => expand(String(a), mapping)),
  };
}

/**
 * The argv a container runs (docs "Define a Command and Arguments for a Container"):
 *
 * | command | args | runs                         |
 * |---------|------|------------------------------|
 * | unset   | unset| image ENTRYPOINT + image CMD |
 * | set     | unset| command (image CMD ignored)  |
 * | unset   | set  | image ENTRYPOINT + args      |
 * | set     | set  | command + args               |
 */
export function effectiveCommand(imageEntrypoint: readonly string[] | undefined, imageCmd: readonly string[] | undefined, container: any, env: readonly EnvVar[]): string[] {
  const { command, args } = expandContainerCommandAndArgs(container, env);
  const entry = command.length ? command : [...(imageEntrypoint ?? [])];
  const rest = args.length ? args : command.length ? [] : [...(imageCmd ?? [])];
  return [...entry, ...rest];
}

/**
 * ExpandContainerVolumeMounts (subPathExpr): unlike command/args, an undefined or empty variable
 * is an error, and the container fails to start with CreateContainerConfigError.
 */
export function expandSubPathExpr(subPathExpr: string, env: readonly EnvVar[]): { path: string } | { error: string } {
  const m = envMap(env);
  const missing = new Set<string>();
  const path = expand(subPathExpr, (key) => {
    const v = m.get(key);
    if (v === undefined || v === '') missing.add(key);
    return v ?? '';
  });
  if (missing.size) return { error: `missing value for ${[...missing].sort().join(', ')}` };
  return { path };
}
