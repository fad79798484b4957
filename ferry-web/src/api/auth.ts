import { http, type Page, type PageQuery } from './client';

export type Role = 'admin' | 'operator' | 'viewer';

export interface Me {
  username: string;
  roles: Role[];
  /** Whether the user may read row data (dirty rows). */
  readRows: boolean;
}

export interface User {
  username: string;
  role: Role;
  /** A viewer granted row data (dirty rows); admins and operators always may read it. */
  readRows: boolean;
  createdAt: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  username: string;
  action: string;
  targetKind: string;
  targetId: string | null;
  detail: string | null;
}

export const authApi = {
  login: (username: string, password: string) => http.post<Me>('/api/auth/login', { username, password }),
  me: () => http.get<Me>('/api/auth/me'),
  logout: () => http.post<void>('/api/auth/logout'),
};

export const usersApi = {
  list: (q: PageQuery) => http.get<Page<User>>('/api/users', { ...q }),
  create: (user: { username: string; password: string; role: Role; readRows: boolean }) => http.post<User>('/api/users', user),
  update: (username: string, change: { password?: string; role?: Role; readRows?: boolean }) =>
    http.put<User>(`/api/users/${encodeURIComponent(username)}`, change),
  remove: (username: string) => http.del(`/api/users/${encodeURIComponent(username)}`),
  audit: (q: PageQuery) => http.get<Page<AuditEntry>>('/api/audit', { ...q }),
};
