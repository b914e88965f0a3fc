// Headers of a Server-Sent Events response (GET /api/events).
export const EVENT_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform also keeps Next's gzip from buffering the stream.
  'cache-control': 'no-store, no-transform',
  'x-accel-buffering': 'no',
} as const;
