// Node selector terms and toleration matching (k8s.io/component-helpers/scheduling/corev1 and
// k8s.io/api/core/v1/toleration.go ToleratesTaint).

import type { KubeObject } from '../api/types.js';

/** Terms are ORed, expressions within a term ANDed; empty terms match nothing. */
export function nodeSelectorTermsMatch(terms: any[], node: KubeObject): boolean {
  const labels: Record<string, string> = node.metadata.labels ?? {};
  for (const term of terms) {
    const exprs = term?.matchExpressions ?? [];
    const fields = term?.matchFields ?? [];
    if (exprs.length === 0 && fields.length === 0) continue;
    const ok =
      exprs.every((e: any) => requirementMatches(e, labels[e.key], e.key in labels)) &&
      fields.every((f: any) => f.key === 'metadata.name' && requirementMatches(f, node.metadata.name, true));
    if (ok) return true;
  }
  return false;
}

function requirementMatches(e: any, value: string | undefined, present: boolean): boolean {
  const values: string[] = e.values ?? [];
  switch (e.operator) {
    case 'In':
      return present && values.includes(value!);
    case 'NotIn':
      return !present || !values.includes(value!);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'Gt':
    case 'Lt': {
      if (!present || values.length !== 1) return false;
      const a = Number(value), b = Number(values[0]);
      if (!Number.isInteger(a) || !Number.isInteger(b)) return false;
      return e.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: any[], taint: any): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}

export function toleratesTaint(t: any, taint: any): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
    case '':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}
