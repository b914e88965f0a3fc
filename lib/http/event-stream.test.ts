import { describe, expect, it } from 'vitest';
import { EVENT_STREAM_HEADERS } from './event-stream';

describe('EVENT_STREAM_HEADERS', () => {
  it('forbids storing the stream anywhere (no-store, not no-cache), and transforming it', () => {
    const directives = EVENT_STREAM_HEADERS['cache-control'].split(/,\s*/);
    expect(directives).toContain('no-store');
    expect(directives).not.toContain('no-cache');
    expect(directives).toContain('no-transform');
  });
});
