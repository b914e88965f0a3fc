// The request and response shapes the demo's routes work with, free of node:http.
import type { DemoAuth } from './auth';
import type { DemoModel } from './model';

export interface DemoRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: string;
}

export interface DemoResponse {
  status: number;
  contentType: string;
  body: string;
  /** JSON bodies are what the `garbage` fault corrupts. */
  json: boolean;
  headers?: Record<string, string>;
}

export interface DemoContext {
  model: DemoModel;
  auth: DemoAuth;
  /** PEM of the CA behind the managers' HTTPS certificate, when the demo serves UCP over TLS. */
  ucpCa?: string;
}

export function json(
  status: number,
  value: unknown,
  headers?: Record<string, string>,
): DemoResponse {
  return {
    status,
    contentType: 'application/json',
    body: JSON.stringify(value),
    json: true,
    headers,
  };
}

export function jsonText(status: number, body: string): DemoResponse {
  return { status, contentType: 'application/json', body, json: true };
}

export function text(
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): DemoResponse {
  return { status, contentType, body, json: false };
}

/** Truncated JSON: what a member with the `garbage` fault sends with a 200. */
export const GARBAGE_BODY =
  '{"Healthy": true, "Error": "", "nodes": [{"ID": <html><body>502 Bad Gat';

export function garbled(response: DemoResponse): DemoResponse {
  return response.json
    ? { ...response, status: 200, body: GARBAGE_BODY, headers: undefined }
    : response;
}

export function isRead(request: DemoRequest): boolean {
  return request.method === 'GET' || request.method === 'HEAD';
}

export function errors(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): DemoResponse {
  return json(status, { errors: [{ code, message }] }, headers);
}
