/** The operator's admin key (all scopes) every test server starts with (SELLERPULSE_BOOTSTRAP_ADMIN_KEY). */
export const kTestAdminKey = 'sp_test-admin-key-0123456789abcdef';

export function authHeaders(key: string = kTestAdminKey): Record<string, string> {
  return key === '' ? {} : { authorization: `Bearer ${key}` };
}
