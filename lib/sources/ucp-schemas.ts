// UCP-only wire shapes (DESIGN.md §2). The node inventory is the Engine's: see engine-schemas.ts.
import { z } from 'zod';

export const loginResponseSchema = z.looseObject({ auth_token: z.string().min(1) });
