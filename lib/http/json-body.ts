// Reading a JSON request body: the wrong content type or malformed JSON is the client's error.
import 'server-only';
import { ApiError } from './errors';

/** The parsed body; throws ApiError (415, 400) that the route wrapper answers. */
export async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().includes('application/json')) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'Send the body as JSON (content-type: application/json).',
    );
  }
  try {
    return await request.json();
  } catch {
    throw new ApiError(400, 'bad_request', 'The request body is not valid JSON.');
  }
}
