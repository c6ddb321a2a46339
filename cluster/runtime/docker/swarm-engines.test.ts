import { describe, expect, it } from 'vitest';
import { engineConnect, enginesParse, engineUrlText } from './swarm-engines.js';

describe('--docker-engines', () => {
  it('maps each AZ to its engine, in AZ order', () => {
    const parsed = enginesParse('az2=tcp://10.0.0.3:2375, az0=local,az1=unix:///run/docker.sock');
    expect(parsed.ok && parsed.engines.map(engineUrlText)).toEqual([
      'local',
      'unix:///run/docker.sock',
      'tcp://10.0.0.3:2375',
    ]);
  });

  it.each([
    ['az0=local,az1=local', '--docker-engines: missing az2'],
    ['az0=local,az0=local,az1=local,az2=local', '--docker-engines: az0 is given twice'],
    ['az3=local', '--docker-engines: the cluster has AZs az0 to az2, got az3'],
    ['local', '--docker-engines: expected AZ=URL like az0=unix:///var/run/docker.sock, got "local"'],
    [
      'az0=http://x:1',
      '--docker-engines: az0: expected local, unix:///path/to/docker.sock or tcp://HOST:PORT, got "http://x:1"',
    ],
    [
      'az0=tcp://x:70000',
      '--docker-engines: az0: expected local, unix:///path/to/docker.sock or tcp://HOST:PORT, got "tcp://x:70000"',
    ],
  ])('refuses %j: %s', (text, error) => {
    expect(enginesParse(text)).toEqual({ ok: false, error });
  });

  it('an engine that does not answer is one error naming it', async () => {
    await expect(engineConnect({ kind: 'unix', socketPath: '/nonexistent/docker.sock' })).rejects.toThrow(
      /^no Docker engine answers at unix:\/\/\/nonexistent\/docker\.sock \(/,
    );
  });
});
