// Stack roles and what each may do. Viewers read; editors also create, change, start and abort
// tests and runs and manage projects; admins also change project limits and manage the stack's
// members and tokens. A stack token acts with the admin role inside its own stack only.

export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = ['read', 'write', 'manage_limits', 'manage_stack'] as const;
export type Action = (typeof ACTIONS)[number];

const PERMISSIONS: Record<Role, readonly Action[]> = {
  admin: ['read', 'write', 'manage_limits', 'manage_stack'],
  editor: ['read', 'write'],
  viewer: ['read'],
};

export const STACK_TOKEN_ROLE: Role = 'admin';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, action: Action): boolean {
  return PERMISSIONS[role].includes(action);
}
