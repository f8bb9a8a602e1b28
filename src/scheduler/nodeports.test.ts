import { describe, expect, it } from 'vitest';
import { HostPortInfo, fitsPorts, podHostPorts } from './nodeports.js';

/** "PROTO/IP/PORT" strings, as newPod in nodeports_test.go builds them */
const pod = (...specs: string[]) => ({
  spec: { containers: [{ name: 'c', ports: specs.map((s) => { const [protocol, hostIP, port] = s.split('/'); return { protocol, hostIP, hostPort: Number(port), containerPort: Number(port) }; }) }] },
});
const nodeWith = (...specs: string[]) => {
  const info = new HostPortInfo();
  for (const p of podHostPorts(pod(...specs))) info.add(p);
  return info;
};

// Translated from pkg/scheduler/framework/plugins/nodeports/node_ports_test.go TestNodePorts.
describe('NodePorts filter (node_ports_test.go TestNodePorts)', () => {
  const cases: Array<[string, string[], string[], boolean]> = [
    ['nothing running', [], [], true],
    ['other port', ['UDP/127.0.0.1/8080'], ['UDP/127.0.0.1/9090'], true],
    ['same udp port', ['UDP/127.0.0.1/8080'], ['UDP/127.0.0.1/8080'], false],
    ['same tcp port', ['TCP/127.0.0.1/8080'], ['TCP/127.0.0.1/8080'], false],
    ['different host ip', ['TCP/127.0.0.1/8080'], ['TCP/127.0.0.2/8080'], true],
    ['different protocol', ['UDP/127.0.0.1/8080'], ['TCP/127.0.0.1/8080'], true],
    ['second udp port conflict', ['UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'], ['UDP/127.0.0.1/8080'], false],
    ['first tcp port conflict', ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'], ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081'], false],
    ['first tcp port conflict due to 0.0.0.0 hostIP', ['TCP/0.0.0.0/8001'], ['TCP/127.0.0.1/8001'], false],
    ['TCP hostPort conflict due to 0.0.0.0 hostIP', ['TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'], ['TCP/127.0.0.1/8001'], false],
    ['second tcp port conflict to 0.0.0.0 hostIP', ['TCP/127.0.0.1/8001'], ['TCP/0.0.0.0/8001'], false],
    ['second different protocol', ['UDP/127.0.0.1/8001'], ['TCP/0.0.0.0/8001'], true],
    ['UDP hostPort conflict due to 0.0.0.0 hostIP', ['UDP/127.0.0.1/8001'], ['TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001'], false],
  ];
  for (const [name, wanted, used, fits] of cases) {
    it(name, () => expect(fitsPorts(podHostPorts(pod(...wanted)), nodeWith(...used))).toBe(fits));
  }
});

describe('podHostPorts / HostPortInfo', () => {
  it('skips ports without a hostPort and defaults protocol and IP (HostPortInfo.sanitize)', () => {
    const p = { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }, { containerPort: 80, hostPort: 8080 }] }] } };
    expect(podHostPorts(p)).toEqual([{ ip: '0.0.0.0', protocol: 'TCP', port: 8080 }]);
  });
  it('frees a port only when the last pod holding it leaves', () => {
    const info = nodeWith('TCP/0.0.0.0/80');
    info.add({ ip: '0.0.0.0', protocol: 'TCP', port: 80 });
    info.remove({ ip: '0.0.0.0', protocol: 'TCP', port: 80 });
    expect(info.conflicts({ ip: '10.0.0.1', protocol: 'TCP', port: 80 })).toBe(true);
    info.remove({ ip: '0.0.0.0', protocol: 'TCP', port: 80 });
    expect(info.conflicts({ ip: '10.0.0.1', protocol: 'TCP', port: 80 })).toBe(false);
    expect(info.size).toBe(0);
  });
});
