import { describe, expect, it } from 'vitest';
import { GENERATED_AT, replicaSet } from '@/test/support/lb-fixtures';
import { generateLbConfig } from './generate';
import type { LbOptionsInput } from './options';
import type { LbReplicaInput } from './replicas';

interface Template {
  AWSTemplateFormatVersion: string;
  Metadata: {
    GeneratedBy: string;
    GeneratedAt: string;
    Permalink: string;
    Comment: string[];
    Replicas: unknown[];
    FailoverSeconds: number;
  };
  Parameters: Record<string, { Type: string; Description: string }>;
  Resources: {
    DtrLoadBalancer: {
      Type: string;
      Properties: {
        Instances: unknown;
        Listeners: {
          LoadBalancerPort: string;
          InstancePort: string;
          Protocol: string;
          InstanceProtocol: string;
        }[];
        HealthCheck: Record<string, string>;
        ConnectionSettings: { IdleTimeout: number };
      };
    };
  };
}

function elb(replicas: LbReplicaInput[], options: Partial<LbOptionsInput> = {}): Template {
  const file = generateLbConfig(replicas, { kind: 'elb', generatedAt: GENERATED_AT, ...options });
  expect(file.contentType).toBe('application/json; charset=utf-8');
  expect(file.filename).toBe('dtr-elb.json');
  return JSON.parse(file.text) as Template;
}

describe('elbTemplate', () => {
  it('is a CloudFormation Classic ELB with TCP listeners 443 → HTTPS port and 80 → HTTP port', () => {
    const template = elb(replicaSet(3));
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    const lb = template.Resources.DtrLoadBalancer;
    expect(lb.Type).toBe('AWS::ElasticLoadBalancing::LoadBalancer');
    expect(lb.Properties.Listeners).toEqual([
      { LoadBalancerPort: '443', InstancePort: '443', Protocol: 'TCP', InstanceProtocol: 'TCP' },
      { LoadBalancerPort: '80', InstancePort: '80', Protocol: 'TCP', InstanceProtocol: 'TCP' },
    ]);
    expect(lb.Properties.Instances).toEqual({ Ref: 'Instances' });
    expect(template.Parameters.Instances?.Description).toBe(
      "EC2 instances of the DTR nodes: a1b2c3000111 on 10.0.0.10, a1b2c3000222 on 10.0.0.11, a1b2c3000333 on 10.0.0.12. Their security groups must allow TCP 443 and 80 from the load balancer's groups.",
    );
  });

  it('asks the load balancer’s security group for the listener ports and the instances’ for the instance ports', () => {
    // Listeners 8443/8080 in front of replicas on 4443/81: the two groups need different ports.
    const ports = replicaSet(3).map((r) => ({ ...r, httpPort: 81, httpsPort: 4443 }));
    const template = elb(ports, { httpsPort: 8443, httpPort: 8080 });
    expect(template.Parameters.SecurityGroups?.Description).toBe(
      "The load balancer's own security groups: must allow inbound TCP 8443 and 8080 (the listener ports) from the clients. The DTR instances' groups must allow TCP 4443 and 81 (the instance ports) from these groups.",
    );
    expect(template.Parameters.Instances?.Description).toMatch(
      /Their security groups must allow TCP 4443 and 81 from the load balancer's groups\.$/,
    );
    expect(template.Metadata.Comment).toContain(
      "Security groups: the load balancer's own groups (SecurityGroups) must allow inbound TCP 8443 and 8080, its listener ports, from the clients; the DTR instances' groups must allow inbound TCP 4443 and 81, the instance ports, from the load balancer's group.",
    );
  });

  it('checks HTTPS:<port>/_ping with the interval, timeout and thresholds given', () => {
    const ports = replicaSet(3).map((r) => ({ ...r, httpPort: 81, httpsPort: 4443 }));
    const template = elb(ports, {
      checkIntervalMs: 10_000,
      checkTimeoutMs: 4000,
      rise: 3,
      fall: 2,
      idleTimeoutMs: 900_000,
    });
    expect(template.Resources.DtrLoadBalancer.Properties.HealthCheck).toEqual({
      Target: 'HTTPS:4443/_ping',
      Interval: '10',
      Timeout: '4',
      HealthyThreshold: '3',
      UnhealthyThreshold: '2',
    });
    expect(
      template.Resources.DtrLoadBalancer.Properties.Listeners.map((l) => [
        l.LoadBalancerPort,
        l.InstancePort,
      ]),
    ).toEqual([
      ['443', '4443'],
      ['80', '81'],
    ]);
    expect(template.Resources.DtrLoadBalancer.Properties.ConnectionSettings).toEqual({
      IdleTimeout: 900,
    });
    expect(template.Metadata.FailoverSeconds).toBe(20);
    expect(
      elb(ports, { checkScheme: 'http' }).Resources.DtrLoadBalancer.Properties.HealthCheck.Target,
    ).toBe('HTTP:81/_ping');
  });

  it('says what generated it, when, for which replicas, with the permalink, in Metadata', () => {
    const template = elb(replicaSet(2, { healthy: (i) => i === 0 }), {
      permalinkBase: 'https://console.example.com',
    });
    expect(template.Metadata).toMatchObject({
      GeneratedBy: 'DTR HA Console',
      GeneratedAt: GENERATED_AT,
      Permalink: 'https://console.example.com/api/load-balancer/config?kind=elb',
      Replicas: [
        {
          id: 'a1b2c3000111',
          address: '10.0.0.10',
          httpPort: 80,
          httpsPort: 443,
          healthyWhenGenerated: true,
        },
        {
          id: 'a1b2c3000222',
          address: '10.0.0.11',
          httpPort: 80,
          httpsPort: 443,
          healthyWhenGenerated: false,
        },
      ],
    });
    expect(template.Metadata.Comment).toContain(
      '  a1b2c3000222  10.0.0.11  HTTP 80  HTTPS 443  UNHEALTHY when generated (still listed: the load balancer decides)',
    );
  });

  it('refuses replicas on different ports, which one Classic ELB cannot reach correctly', () => {
    expect(() => elb(replicaSet(3, { customPorts: true }))).toThrow(
      'replicas: a Classic ELB sends a listener to the same instance port on every instance, but the replicas use different HTTP ports (a1b2c3000111: 8000, a1b2c3000222: 8001, a1b2c3000333: 8002); use HAProxy or NGINX, or give every replica the same ports',
    );
  });
});
