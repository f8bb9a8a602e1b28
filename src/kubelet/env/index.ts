// The container environment and the kubelet-written volume contents (issue 6 items 1 and 3).
export { expand, mappingFuncFor, type Mapping } from './expand.js';
export { fromServices, serviceEnvVarMap, makeEnvVariableName, ServiceEnvCache, type EnvVar } from './envvars.js';
export { makeEnvironmentVariables, envRecord, lazyEnvRecord, type MakeEnvInput, type MakeEnvResult, type EnvWarning } from './make_env.js';
export { expandContainerCommandAndArgs, effectiveCommand, expandSubPathExpr } from './command.js';
export { formatMap, extractFieldPathAsString, podFieldSelectorRuntimeValue, sortPodIPs } from './fieldpath.js';
export { extractContainerResourceValue, resourceFieldValue, convertQuantityToString } from './resource.js';
export { isEnvVarName, isRelaxedEnvVarName } from './names.js';
export {
  configMapVolumeFiles, secretVolumeFiles, downwardAPIVolumeFiles, projectedVolumeFiles, failedMountMessage,
  DEFAULT_VOLUME_MODE, type FileProjection, type VolumeFiles, type TokenSource,
} from './volumes.js';
