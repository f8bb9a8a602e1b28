// `kubectl run` and `kubectl expose` executed through the simulated API server.
import { describe, expect, it } from 'vitest';
import { parseKubectl } from '../kubectl/parse.js';
import { executeAction } from './actions.js';
import { advance, newCluster, replicationController } from '../../test/helpers/cluster.js';

describe('kubectl run / expose executed', () => {
  it('run creates the pod, then with --expose the service, printed before the pod as kubectl does', () => {
    const c = newCluster();
    expect(executeAction(c, parseKubectl('run web --image=nginx --port=80 --expose'), []).output).toEqual(['service/web created', 'pod/web created']);
    expect(c.api.get('Pod', 'default', 'web')!.metadata.labels).toEqual({ run: 'web' });
    expect(c.api.get('Service', 'default', 'web')!.spec.selector).toEqual({ run: 'web' });
    expect(Number(c.api.get('Pod', 'default', 'web')!.metadata.resourceVersion)).toBeLessThan(Number(c.api.get('Service', 'default', 'web')!.metadata.resourceVersion));
    expect(() => executeAction(c, parseKubectl('run web --image=nginx'), [])).toThrow('Error from server (AlreadyExists)');
  });
  it('expose reads the RC and creates a LoadBalancer service whose endpoints are its pods', () => {
    const c = newCluster();
    c.api.create(replicationController('kubia', { replicas: 2, labels: { app: 'kubia' } }));
    advance(c, 5000);
    expect(executeAction(c, parseKubectl('expose rc kubia --port=80 --target-port=8080 --type=LoadBalancer --name kubia-http'), []).output).toEqual(['service/kubia-http exposed']);
    const svc = c.api.get('Service', 'default', 'kubia-http')!;
    expect(svc.spec).toMatchObject({ type: 'LoadBalancer', selector: { app: 'kubia' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] });
    advance(c, 5000);
    const slices = c.api.list('EndpointSlice', 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'kubia-http');
    expect(slices.flatMap((s) => s.endpoints ?? []).length).toBe(2);
  });
  it('expose fails as kubectl does for a missing object or port', () => {
    const c = newCluster();
    expect(() => executeAction(c, parseKubectl('expose rc nope --port=80'), [])).toThrow('Error from server (NotFound): replicationcontrollers "nope" not found');
    c.api.create(replicationController('noport'));
    expect(() => executeAction(c, parseKubectl('expose rc noport'), [])).toThrow("error: couldn't find port via --port flag or introspection");
  });
});
