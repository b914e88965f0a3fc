// Where the setup project saves each role's signed-in browser state.
export const ADMIN_STATE = 'e2e/.auth/admin.json';
export const VIEWER_STATE = 'e2e/.auth/viewer.json';
