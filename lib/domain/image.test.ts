import { describe, expect, it } from 'vitest';
import { bootstrapperImage, bootstrapperRepository, parseImageOverride } from './image';
import { buildSnapshot, testReplicaId } from '@/test/support/snapshot';

const [R1, R2, R3] = [0, 1, 2].map(testReplicaId) as [string, string, string];

function withImages(...images: ([string, string] | null)[]) {
  const snapshot = buildSnapshot();
  snapshot.dtr.replicas.forEach((r, i) => {
    const image = images[i];
    r.image = image ? { repository: image[0], tag: image[1] } : null;
  });
  return snapshot;
}

describe('the bootstrapper image comes from the running replicas’ own', () => {
  it.each([
    ['docker/dtr-registry', 'docker/dtr'],
    ['mirantis/dtr-registry', 'mirantis/dtr'],
    ['registry.mirantis.com/msr/dtr-registry', 'registry.mirantis.com/msr/dtr'],
    ['mirror.corp:5000/dtr/dtr-registry', 'mirror.corp:5000/dtr/dtr'],
    ['dtr-registry', 'dtr'],
  ])('%s → %s', (registry, bootstrapper) => {
    expect(bootstrapperRepository(registry)).toBe(bootstrapper);
    const image = bootstrapperImage(
      withImages([registry, '2.9.16'], [registry, '2.9.16'], [registry, '2.9.16']),
      R1,
    );
    expect(image).toMatchObject({ repository: bootstrapper, tag: '2.9.16' });
    expect(image.source).toContain(`${registry}:2.9.16`);
  });

  it('is null for an image that is not a dtr-registry', () => {
    expect(bootstrapperRepository('docker/dtr-nginx')).toBeNull();
    expect(bootstrapperRepository('mirror/not-dtr-registryx')).toBeNull();
  });

  it('with replicas on different versions, a command uses the one it runs against', () => {
    const skewed = withImages(
      ['docker/dtr-registry', '2.9.16'],
      ['docker/dtr-registry', '2.9.16'],
      ['docker/dtr-registry', '2.9.15'],
    );
    expect(bootstrapperImage(skewed, R3).tag).toBe('2.9.15');
    expect(bootstrapperImage(skewed, R1).tag).toBe('2.9.16');
    // No replica named: the version most replicas run.
    expect(bootstrapperImage(skewed, null).tag).toBe('2.9.16');
  });

  it('a replica without a listed image borrows the most common one', () => {
    const partly = withImages(
      null,
      ['mirantis/dtr-registry', '2.9.3'],
      ['mirantis/dtr-registry', '2.9.3'],
    );
    expect(bootstrapperImage(partly, R1)).toMatchObject({
      repository: 'mirantis/dtr',
      tag: '2.9.3',
    });
  });

  it('no images at all: docker/dtr with the installed version, or none, and says why', () => {
    const none = withImages(null, null, null);
    expect(bootstrapperImage(none, R2)).toMatchObject({ repository: 'docker/dtr', tag: '2.9.16' });
    none.dtr.version = null;
    const unknown = bootstrapperImage(none, R2);
    expect(unknown.tag).toBeNull();
    expect(unknown.source).toMatch(/set DTR_IMAGE/);
  });

  it('DTR_IMAGE overrides the repository, and the tag too when it has one', () => {
    const snapshot = withImages(['docker/dtr-registry', '2.9.16'], null, null);
    expect(
      bootstrapperImage(snapshot, R1, parseImageOverride('mirror.corp:5000/msr/dtr')),
    ).toMatchObject({ repository: 'mirror.corp:5000/msr/dtr', tag: '2.9.16' });
    expect(
      bootstrapperImage(snapshot, R1, parseImageOverride('mirror.corp:5000/msr/dtr:2.9.17')),
    ).toMatchObject({ repository: 'mirror.corp:5000/msr/dtr', tag: '2.9.17', source: 'DTR_IMAGE' });
  });
});

describe('parseImageOverride', () => {
  it('splits the tag after the last slash only', () => {
    expect(parseImageOverride('mirror.corp:5000/dtr')).toEqual({
      repository: 'mirror.corp:5000/dtr',
      tag: null,
    });
    expect(parseImageOverride('mirantis/dtr:2.9.16')).toEqual({
      repository: 'mirantis/dtr',
      tag: '2.9.16',
    });
  });
});
