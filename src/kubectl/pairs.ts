// KEY=VALUE / KEY- arguments of `kubectl label` and `kubectl annotate`, split and checked as
// kubectl does before contacting the server:
// - staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go GetResourcesAndPairs / ParsePairs
// - staging/src/k8s.io/kubectl/pkg/cmd/label/label.go parseLabels (values checked with
//   validation.IsValidLabelValue; keys are left to the API server's validation)
// - staging/src/k8s.io/kubectl/pkg/cmd/annotate/annotate.go validateAnnotations

import { KubectlParseError } from './errors.js';

export interface Pairs {
  set: Record<string, string>;
  remove: string[];
}

/** Arguments before the first pair are resources; after it, everything must be a pair. */
export function splitResourcesAndPairs(args: readonly string[], pairType: 'label' | 'annotation'): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  let found = false;
  for (const s of args) {
    const nonResource = (s.includes('=') && s[0] !== '=') || (s.endsWith('-') && s !== '-');
    if (nonResource) {
      found = true;
      pairs.push(s);
    } else if (!found) {
      resources.push(s);
    } else {
      throw new KubectlParseError(
        `all resources must be specified before ${pairType} changes: ${s}`,
        `write: kubectl ${pairType === 'label' ? 'label' : 'annotate'} TYPE NAME KEY=VALUE ... KEY-`,
      );
    }
  }
  return { resources, pairs };
}

const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_VALUE_MAX = 63;

/** validation.IsValidLabelValue (apimachinery/pkg/util/validation/validation.go); [] when valid. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX) errs.push(`must be no more than ${LABEL_VALUE_MAX} characters`);
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  }
  return errs;
}

/** label.go parseLabels: exactly one `=`, a valid value, and no key both set and removed. */
export function parseLabelPairs(specs: readonly string[]): Pairs {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const spec of specs) {
    if (spec.includes('=')) {
      const parts = spec.split('=');
      if (parts.length !== 2) {
        throw new KubectlParseError(`invalid label spec: ${spec}`, 'a label is KEY=VALUE with a single "=", or KEY- to remove it');
      }
      const errs = labelValueErrors(parts[1]);
      if (errs.length > 0) throw new KubectlParseError(`invalid label value: "${spec}": ${errs.join(';')}`, 'label values are at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric');
      set[parts[0]] = parts[1];
    } else if (spec.endsWith('-')) {
      remove.push(spec.slice(0, -1));
    } else {
      throw new KubectlParseError(`unknown label spec: ${spec}`, 'a label is KEY=VALUE, or KEY- to remove it');
    }
  }
  for (const key of remove) {
    if (Object.prototype.hasOwnProperty.call(set, key)) {
      throw new KubectlParseError('can not both modify and remove a label in the same command', `label "${key}" is both set and removed`);
    }
  }
  return { set, remove };
}

/** helpers.go ParsePairs(..., "annotation", true) + annotate.go validateAnnotations. */
export function parseAnnotationPairs(specs: readonly string[]): Pairs {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const spec of specs) {
    if (spec.includes('=') && spec[0] !== '=') {
      const eq = spec.indexOf('=');
      set[spec.slice(0, eq)] = spec.slice(eq + 1);
    } else if (spec.endsWith('-') && spec !== '-') {
      remove.push(spec.slice(0, -1));
    } else {
      invalid.push(spec);
    }
  }
  if (invalid.length > 0) {
    throw new KubectlParseError(`invalid annotation format: ${invalid.join(', ')}`, 'an annotation is KEY=VALUE, or KEY- to remove it');
  }
  const both = remove.filter((k) => Object.prototype.hasOwnProperty.call(set, k));
  if (both.length > 0) {
    throw new KubectlParseError(
      `can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`,
      'set or remove each annotation, not both',
    );
  }
  return { set, remove };
}
