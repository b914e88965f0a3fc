import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY, isFiltered, nodeQueryString, parseNodeQuery } from './node-query';

const parse = (search: string, zoneLabel = 'zone') =>
  parseNodeQuery(new URLSearchParams(search), zoneLabel);

describe('parseNodeQuery', () => {
  it('reads every filter, the sort and the highlighted node', () => {
    const { query, notices } = parse(
      'q=dtr&role=worker&state=down&availability=drain&zone=b&hosts=dtr-replica&sort=what-if&dir=desc&node=dtr-node-2',
    );
    expect(notices).toEqual([]);
    expect(query).toEqual({
      q: 'dtr',
      role: 'worker',
      state: 'down',
      availability: 'drain',
      zone: 'b',
      hosts: 'dtr-replica',
      label: null,
      sort: 'what-if',
      dir: 'desc',
      node: 'dtr-node-2',
    });
  });

  it('ignores bad values with a notice each, keeping the good ones', () => {
    const { query, notices } = parse('role=boss&sort=colour&dir=up&hosts=dtr-replica');
    expect(query).toEqual({ ...DEFAULT_QUERY, hosts: 'dtr-replica' });
    expect(notices).toEqual([
      'Ignored role=boss: role is one of manager, worker.',
      'Ignored sort=colour: sort is one of hostname, role, availability, state, manager, engine, resources, zone, hosts, what-if.',
      'Ignored dir=up: dir is one of asc, desc.',
    ]);
  });

  it('turns a zone-label filter (how zone warnings link) into the zone filter', () => {
    expect(parse('label=zone%3Db').query).toMatchObject({ zone: 'b', label: null });
    expect(parse('label=rack%3Dr1', 'rack').query).toMatchObject({ zone: 'r1', label: null });
    expect(parse('label=dtr.cache%3Dtrue').query.label).toEqual({
      key: 'dtr.cache',
      value: 'true',
    });
    expect(parse('label=oops').notices).toEqual(['Ignored label=oops: write it as key=value.']);
  });

  it('treats empty parameters as absent and refuses absurdly long text', () => {
    expect(parse('role=&q=%20%20')).toEqual({ query: DEFAULT_QUERY, notices: [] });
    expect(parse(`q=${'x'.repeat(300)}`).notices).toHaveLength(1);
  });
});

describe('nodeQueryString', () => {
  it('leaves the defaults out', () => {
    expect(nodeQueryString(DEFAULT_QUERY)).toBe('');
    expect(nodeQueryString({ ...DEFAULT_QUERY, role: 'manager' })).toBe('?role=manager');
    expect(nodeQueryString({ ...DEFAULT_QUERY, dir: 'desc' })).toBe('?sort=hostname&dir=desc');
  });

  it('round-trips through parseNodeQuery', () => {
    const query = {
      ...DEFAULT_QUERY,
      q: 'ucp manager',
      zone: 'a b',
      label: { key: 'com.docker.ucp.access.label', value: '/System' },
      sort: 'resources' as const,
      node: 'ucp-manager-1',
    };
    const search = nodeQueryString(query);
    expect(parse(search.slice(1)).query).toEqual(query);
  });
});

describe('isFiltered', () => {
  it('is about filters only, not the sort or the highlight', () => {
    expect(isFiltered({ ...DEFAULT_QUERY, sort: 'zone', node: 'x' })).toBe(false);
    expect(isFiltered({ ...DEFAULT_QUERY, hosts: 'none' })).toBe(true);
  });
});
